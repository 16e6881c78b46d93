import type { JobFence } from '../jobs/job-store';
import type { EscEventSource } from '../esc/event-waiter';
import type { GrantResult, GrantVnfRequest, NotifyBody, VimInfo, VnfPackage } from '../nslcm/nslcm-types';
import type { XmlElement, XmlNode } from '../xml';

/**
 * The ports the lifecycle stories talk through. src/wiring binds them: the ESC connection pool (esc/),
 * the NSLCM client and the durable Notify outbox (nslcm/), the driver store (jobs/).
 */

/** One ESC as a story uses it: edit-config and get on `running`, escEvents of a deployment, reconnect notices. */
export interface EscSessionPort<E> extends EscEventSource<E> {
  /** `host:port`, for error context. */
  readonly address: string;
  /** edit-config on `running` with the given `<config>` content (escaped when written). Rejects on rpc-error. */
  editConfig(config: XmlNode): Promise<void>;
  /** `<get>` with a subtree filter; resolves to the reply's `<data>` element. */
  get(filter: XmlNode): Promise<XmlElement>;
}

/**
 * Who reconciles an ESC's deployments when several replicas could: `tryHold` answers a hold on `key` (released by
 * the holder, or when it dies) or undefined when another replica holds it now.
 */
export interface ReconcileLock {
  tryHold(key: string): Promise<ReconcileLockHold | undefined>;
}

/** A lock held; `lost` turns true when it went away on its own (its store connection was lost). */
export interface ReconcileLockHold {
  release(): Promise<void>;
  readonly lost?: boolean;
}

/** The ESCs behind the VNFMs (the EscConnectionPool satisfies it). */
export interface EscPort<E> {
  /** The ESC serving `vnfmId`, connected. */
  channelFor(vnfmId: string): Promise<EscSessionPort<E>>;
  close(): Promise<void>;
}

/** The NSLCM calls the stories make (the NslcmClient satisfies it). */
export interface NslcmPort {
  getVnfPackage(csarId: string, opts?: { signal?: AbortSignal }): Promise<VnfPackage>;
  grantVnf(req: GrantVnfRequest, opts?: { signal?: AbortSignal }): Promise<GrantResult>;
  /** NSLCM's VIM record (url, userName, password, tenant, domain), to create an ESC VIM connector. */
  getVimInfo(cloudOwner: string, cloudRegionId: string, opts?: { signal?: AbortSignal }): Promise<VimInfo>;
}

/** A Notify as a story hands it to the durable outbox (the NotifyOutbox satisfies it); resolves once it is stored. */
export interface NotifyOutboxPort {
  enqueue(msg: {
    vnfmId: string;
    vnfInstanceId: string;
    jobId: string;
    status: 'START' | 'RESULT';
    operation: string;
    body: NotifyBody;
    /** Deterministic id of the change (ESC-initiated changes); a second message with it is not queued. */
    changeId?: string;
    /** The job's fence: the message is queued only while the job's owner and epoch are these (else FencedWriteError). */
    fence?: JobFence;
  }): Promise<{ inserted: boolean; /** The jobId of the message stored (another one's when not inserted). */ jobId?: string }>;
}
