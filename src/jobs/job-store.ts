import type { VnfPatch, VnfRecord } from '../vnfs/vnf-record';
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

/** Durable jobs and their append-only history. All methods are synchronous and atomic. */
export interface JobStore {
  /**
   * Creates a job unless the VNF already has an unfinished one (throws OperationInProgressError).
   * When `vnf` is given, the VNF record is inserted in the same transaction.
   */
  createJob(job: NewJob, vnf?: VnfRecord): Job;
  /** Appends a change with the next responseId and returns the new entry; a finished job does not change (returns undefined). */
  appendEntry(jobId: string, change: JobChange): JobEntry | undefined;
  /** Saves the southbound checkpoint of a job. */
  saveState(jobId: string, state: Record<string, unknown>): void;
  getJob(jobId: string): Job | undefined;
  /**
   * The answer to one poll as JSON text (see `jobDescriptorJson` in job-model.ts); undefined when the job is unknown,
   * or when `vnfmId` is given and the job was created under another VNFM.
   */
  jobDescriptorJson(jobId: string, afterResponseId: number, vnfmId?: string): string | undefined;
  /** The whole history, oldest first. */
  history(jobId: string): JobEntry[];
  /** Jobs not yet finished or in error, oldest first (for resuming after a restart). */
  unfinishedJobs(): Job[];
}

/** Durable VNF instance records. */
export interface VnfStore {
  getVnf(vnfInstanceId: string): VnfRecord | undefined;
  /** Applies a patch, stamps updatedAt, and returns the new record (throws if unknown). */
  updateVnf(vnfInstanceId: string, patch: VnfPatch): VnfRecord;
  /** The VNF whose ESC deployment is `deployment` in `tenant` (newest first if several), if any. */
  findByDeployment(tenant: string, deployment: string): VnfRecord | undefined;
  /** The VNFs with an ESC deployment that are not terminated: the deployments the driver owns. */
  vnfsWithDeployment(): VnfRecord[];
}

/** The whole store the service uses. */
export interface DriverStore extends JobStore, VnfStore, StoreListing {
  /** Cheap liveness check of the underlying database (throws when it does not work). */
  ping(): void;
  close(): void;
}
