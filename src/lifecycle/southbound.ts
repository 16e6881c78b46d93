import type { JobFence } from '../jobs/job-store';
import type { Log } from '../logging/log';
import type { HealVnfRequest, InstantiateVnfRequest, OperateVnfRequest, ScaleVnfRequest, TerminateVnfRequest } from './requests';
import type { VnfInfo, VnfPatch, VnfRecord } from '../vnfs/vnf-record';

/**
 * What a southbound operation uses to report on its job. The writes of one job are made in the order they are
 * called; each Promise resolves once its write is persisted: await it before the next step. A write started
 * where nothing can await it (an escEvent callback, as `void job.progress(...)`) still lands before the job's
 * final entry, and its failure fails the job.
 */
export interface JobReporter {
  readonly jobId: string;
  /** Records a progress step (1..99, clamped) with a readable description; each call gets a new responseId. */
  progress(progress: number, description: string): Promise<void>;
  /** Durable per-job checkpoint (JSON-serialisable); survives a restart and comes back as `state`. */
  checkpoint(state: Record<string, unknown>): Promise<void>;
  /** Adds a warning to the job's final statusDescription when it finishes (the operation still succeeded). */
  warn(text: string): void;
  /** The last checkpoint, if any. */
  readonly state: Record<string, unknown> | undefined;
}

/** Everything one southbound operation needs. */
export interface OperationContext<R> {
  job: JobReporter;
  vnf: VnfRecord;
  vnfmId: string;
  request: R;
  /** ONAP request id (X-ONAP-RequestID) of the northbound call that started the job. */
  requestId: string;
  /** Logger carrying jobId, vnfInstanceId, vnfmId and requestId. */
  log: Log;
  /** Aborted on the job deadline or on shutdown; stop work promptly when it fires. */
  signal: AbortSignal;
  /** true when the job is being resumed after a restart. */
  resumed: boolean;
  /**
   * The job's owner and epoch as this run holds them: writes made on the job's behalf outside the reporter (its
   * Notify messages) carry it, and are refused once another replica owns the job.
   */
  readonly fence?: JobFence;
  /** Persists a change to the VNF record and resolves to the updated record. */
  updateVnf(patch: VnfPatch): Promise<VnfRecord>;
}

/**
 * The driver's southbound (the ESC adapter). Each lifecycle method is called in the background after the
 * northbound answer was sent: resolve → job finished (100); reject → job error (255) with the error's message
 * as statusDescription and its `code` (if any) as errorCode. On start-up, unfinished jobs are resumed by
 * calling the same method again with `resumed: true`, the persisted request and the last checkpoint.
 */
export interface Southbound {
  instantiate(ctx: OperationContext<InstantiateVnfRequest>): Promise<void>;
  terminate(ctx: OperationContext<TerminateVnfRequest>): Promise<void>;
  scale(ctx: OperationContext<ScaleVnfRequest>): Promise<void>;
  heal(ctx: OperationContext<HealVnfRequest>): Promise<void>;
  operate(ctx: OperationContext<OperateVnfRequest>): Promise<void>;
  /** Query VNF (VNFM Driver API §3.3 "Query VNF"). */
  query(vnf: VnfRecord, vnfmId: string, log: Log): Promise<VnfInfo>;
  close?(): Promise<void>;
}
