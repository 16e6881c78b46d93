import type { VnfPatch, VnfRecord, VnfStatus } from '../vnfs/vnf-record';
import type { Job, JobEntry, JobStatus, Operation } from './job-model';
import type { StoreListing } from './store-listing';

/** What is needed to create a job; it starts as `started`, progress 0, responseId 1. */
export interface NewJob {
  jobId: string;
  operation: Operation;
  vnfInstanceId: string;
  vnfmId: string;
  request: unknown;
  requestId: string;
  statusDescription: string;
  /** The job is refused (VnfNotOperableError) when the VNF's status is one of these, read in the same transaction. */
  refuseWhenVnfIs?: readonly VnfStatus[];
}

/** A change to a job: appended to its history with the next responseId. */
export interface JobChange {
  status: JobStatus;
  progress: number;
  statusDescription: string;
  errorCode?: string | null;
}

/** Raised when a VNF already has an unfinished job (→ HTTP 409). */
export class OperationInProgressError extends Error {
  readonly code = 'OPERATION_IN_PROGRESS';
  constructor(
    readonly vnfInstanceId: string,
    readonly runningJobId: string,
  ) {
    super(`VNF ${vnfInstanceId} already has operation job ${runningJobId} running`);
    this.name = 'OperationInProgressError';
  }
}

/** Raised when the VNF's status does not allow the operation (→ HTTP 409). */
export class VnfNotOperableError extends Error {
  readonly code = 'VNF_NOT_OPERABLE';
  constructor(
    readonly vnfInstanceId: string,
    readonly vnfStatus: VnfStatus,
  ) {
    super(`VNF ${vnfInstanceId} is ${vnfStatus}`);
    this.name = 'VnfNotOperableError';
  }
}

/**
 * Durable jobs and their append-only history. Every method returns a Promise (so that a networked database can
 * implement the port) and is atomic: a write is committed before its Promise resolves.
 */
export interface JobStore {
  /**
   * Creates a job unless the VNF's status is one of `job.refuseWhenVnfIs` (rejects with VnfNotOperableError) or
   * the VNF already has an unfinished job (rejects with OperationInProgressError), both read in the transaction
   * that creates it. When `vnf` is given, the VNF record is inserted in the same transaction.
   */
  createJob(job: NewJob, vnf?: VnfRecord): Promise<Job>;
  /** Appends a change with the next responseId and returns the new entry; a finished job does not change (returns undefined). */
  appendEntry(jobId: string, change: JobChange): Promise<JobEntry | undefined>;
  /** Saves the southbound checkpoint of a job. */
  saveState(jobId: string, state: Record<string, unknown>): Promise<void>;
  getJob(jobId: string): Promise<Job | undefined>;
  /**
   * The answer to one poll as JSON text (see `jobDescriptorJson` in job-model.ts); undefined when the job is unknown,
   * or when `vnfmId` is given and the job was created under another VNFM.
   */
  jobDescriptorJson(jobId: string, afterResponseId: number, vnfmId?: string): Promise<string | undefined>;
  /** The whole history, oldest first. */
  history(jobId: string): Promise<JobEntry[]>;
  /** Jobs not yet finished or in error, oldest first (for resuming after a restart). */
  unfinishedJobs(): Promise<Job[]>;
}

/** Durable VNF instance records (asynchronous, as every store method). */
export interface VnfStore {
  getVnf(vnfInstanceId: string): Promise<VnfRecord | undefined>;
  /** Applies a patch, stamps updatedAt, and returns the new record (throws if unknown). */
  updateVnf(vnfInstanceId: string, patch: VnfPatch): Promise<VnfRecord>;
  /** The VNF whose ESC deployment is `deployment` in `tenant` (newest first if several), if any. */
  findByDeployment(tenant: string, deployment: string): Promise<VnfRecord | undefined>;
  /** The VNFs with an ESC deployment that are not terminated: the deployments the driver owns. */
  vnfsWithDeployment(): Promise<VnfRecord[]>;
}

/** The whole store the service uses. */
export interface DriverStore extends JobStore, VnfStore, StoreListing {
  /** Cheap liveness check of the underlying database (throws when it does not work). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
