import type { VnfPatch, VnfRecord, VnfStatus } from '../vnfs/vnf-record';
import { isFinal, type Job, type JobEntry, type JobStatus, type Operation } from './job-model';
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
  /**
   * The replica that runs the job: it owns the job from creation (epoch 1) with a lease of `leaseMs`. Without it
   * the job has no owner, so it is an orphan that the next {@link JobStore.claimOrphans} of any replica takes.
   */
  owner?: { replicaId: string; leaseMs: number };
}

/** Who may write a job: its owner replica and the epoch of its ownership (bumped by each claim). */
export interface JobFence {
  replicaId: string;
  epoch: number;
}

/** A job write by a replica that no longer owns the job (another replica claimed it since): nothing was written. */
export class FencedWriteError extends Error {
  readonly code = 'FENCED_WRITE';
  constructor(
    readonly jobId: string,
    readonly writer: JobFence,
    readonly owner: { replicaId: string | null; epoch: number },
  ) {
    super(
      `job ${jobId} is owned by ${owner.replicaId ?? 'nobody'} at epoch ${owner.epoch}; ` +
        `the write of ${writer.replicaId} at epoch ${writer.epoch} is refused`,
    );
    this.name = 'FencedWriteError';
  }
}

/** Raised when a VNF record to update does not exist. */
export class VnfNotFoundError extends Error {
  readonly code = 'VNF_NOT_FOUND';
  constructor(readonly vnfInstanceId: string) {
    super(`VNF instance ${vnfInstanceId} not found`);
    this.name = 'VnfNotFoundError';
  }
}

/** Throws {@link FencedWriteError} when a fence is given and the job's owner or epoch is not the fence's. */
export function checkFence(jobId: string, head: { owner: string | null; epoch: number }, fence: JobFence | undefined): void {
  if (fence && (head.owner !== fence.replicaId || head.epoch !== fence.epoch)) {
    throw new FencedWriteError(jobId, fence, { replicaId: head.owner, epoch: head.epoch });
  }
}

/** The texts of `change` as its history entry keeps them, passed through `redact`. */
export function entryTexts(change: JobChange, redact: (text: string) => string): Pick<JobEntry, 'statusDescription' | 'errorCode'> {
  return {
    statusDescription: redact(change.statusDescription),
    errorCode: change.errorCode === undefined || change.errorCode === null ? null : redact(change.errorCode),
  };
}

/**
 * The entry `change` appends after the job's latest one (`head`, as stored), or undefined when the job has ended;
 * throws {@link FencedWriteError} when `fence` is not the job's. `texts` are {@link entryTexts}.
 */
export function nextEntry(
  jobId: string,
  head: { status: JobStatus; response_id: number; owner: string | null; epoch: number },
  change: JobChange,
  fence: JobFence | undefined,
  texts: Pick<JobEntry, 'statusDescription' | 'errorCode'>,
): JobEntry | undefined {
  checkFence(jobId, head, fence);
  if (isFinal(head.status)) return undefined;
  return { responseId: head.response_id + 1, status: change.status, progress: change.progress, ...texts, at: new Date().toISOString() };
}

/** Options of {@link JobStore.claimOrphans}. */
export interface ClaimOptions {
  /**
   * Also take the unfinished jobs owned by `replicaId` itself whatever their lease: at start-up, a replica id in use
   * by a starting replica belongs to no running one, so its jobs are those of a previous process.
   */
  adoptOwn?: boolean;
  /** Jobs not to take whatever their lease: those the claiming replica runs itself (they are no orphans). */
  exclude?: readonly string[];
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
  /**
   * Appends a change with the next responseId and returns the new entry; a finished job does not change (returns
   * undefined). With a fence, the write is made only while the job's owner and epoch are the fence's, else it
   * rejects with {@link FencedWriteError}; without one (tools and tests acting alone) it is not checked.
   */
  appendEntry(jobId: string, change: JobChange, fence?: JobFence): Promise<JobEntry | undefined>;
  /** Saves the southbound checkpoint of a job; fenced as {@link JobStore.appendEntry}. */
  saveState(jobId: string, state: Record<string, unknown>, fence?: JobFence): Promise<void>;
  getJob(jobId: string): Promise<Job | undefined>;
  /**
   * The answer to one poll as JSON text (see `jobDescriptorJson` in job-model.ts); undefined when the job is unknown,
   * or when `vnfmId` is given and the job was created under another VNFM.
   */
  jobDescriptorJson(jobId: string, afterResponseId: number, vnfmId?: string): Promise<string | undefined>;
  /** The whole history, oldest first. */
  history(jobId: string): Promise<JobEntry[]>;
  /** Jobs not yet finished or in error, oldest first, whoever runs them. */
  unfinishedJobs(): Promise<Job[]>;
  /**
   * Extends, in one statement, the lease of every unfinished job `replicaId` owns (only those of `jobIds` when given:
   * the jobs it runs) to `leaseMs` from now on the database's clock; answers the ids of the jobs renewed (any other
   * job this replica runs was claimed by another one). A job it owns but no longer runs is left to run out.
   */
  renewLeases(replicaId: string, leaseMs: number, jobIds?: readonly string[]): Promise<string[]>;
  /**
   * Takes up to `limit` unfinished jobs whose lease ran out (or that have no owner), oldest first: each gets
   * `replicaId` as owner, its epoch + 1 and a lease of `leaseMs`. Replicas claiming together never take the same
   * job. Answers the jobs with their checkpoint and their new {@link Job.fence}.
   */
  claimOrphans(replicaId: string, leaseMs: number, limit: number, options?: ClaimOptions): Promise<Job[]>;
}

/** Durable VNF instance records (asynchronous, as every store method). */
export interface VnfStore {
  getVnf(vnfInstanceId: string): Promise<VnfRecord | undefined>;
  /**
   * Applies a patch, stamps updatedAt, and returns the new record (throws if unknown). With a job's fence, only while
   * that job's owner and epoch are the fence's (else {@link FencedWriteError}).
   */
  updateVnf(vnfInstanceId: string, patch: VnfPatch, fence?: JobFence & { jobId: string }): Promise<VnfRecord>;
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
