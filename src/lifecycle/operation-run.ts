import { EscOperationError, type EscErrorContext } from '../esc/esc-errors';
import type { RoutableEvent } from '../esc/esc-event-router';
import type { EscRuntimeSettings } from '../esc/esc-runtime-settings';
import { startEventWait, type WaitOutcome, type WaitVerdict } from '../esc/event-waiter';
import type { Operation } from '../jobs/job-model';
import type { Log } from '../logging/log';
import { buildGrantRequest, type GrantInput } from '../nslcm/grant-request';
import type { GrantResult, LifecycleOperation, NotifyBody } from '../nslcm/nslcm-types';
import type { VnfPatch, VnfRecord } from '../vnfs/vnf-record';
import type { EscPort, EscSessionPort, NotifyOutboxPort, NslcmPort } from './ports';
import type { OperationContext } from './southbound';
import type { PlacementSettings } from './esc-prerequisites';

/** The ports every story uses besides its context, and the ESC timing settings. */
export interface StoryDeps<E extends RoutableEvent> {
  esc: EscPort<E>;
  nslcm: NslcmPort;
  outbox: NotifyOutboxPort;
  settings: EscRuntimeSettings;
  /** Which ESC VIM connector serves a granted VIM, and whether the driver creates missing ones (default: as named, no). */
  placement?: PlacementSettings;
  now?: () => number;
}

/** The affected arrays of a Notify. */
export type AffectedArrays = Omit<NotifyBody, 'status' | 'operation' | 'jobId'>;

/** One ESC step that sends an edit-config and waits for its escEvents. */
export interface SendAndWaitStep<E> {
  /** Name of the step and of its checkpoint flag, e.g. `deploy`. */
  step: string;
  tenant: string;
  depname: string;
  /** The `<config>` content to send (serialized, escaped). */
  config: string;
  classify: (event: E) => WaitVerdict | undefined;
  waitingFor: () => string;
  /** Reads opdata: is the awaited state reached? */
  reconcile?: () => Promise<WaitVerdict | undefined>;
  /** On a resumed job whose flag is not set: did the edit-config reach ESC before the restart? */
  alreadyApplied?: () => Promise<boolean>;
  onProgress?: (description: string) => void;
  /** A shorter limit than the operation's remaining time (e.g. a graceful stop timeout). */
  timeoutMs?: number;
}

/**
 * The running state of one operation: its checkpoint (merged and persisted at each durable step),
 * its deadline (kept in the checkpoint so that a resumed job does not get a fresh one), Notify
 * hand-off and the "send an edit-config, then wait for its events" step every operation uses.
 */
export class OperationRun<R, E extends RoutableEvent> {
  readonly state: Record<string, unknown>;
  readonly log: Log;
  /** The VNF record, kept current through {@link updateVnf}. */
  vnf: VnfRecord;
  private escAddress?: string;
  private readonly now: () => number;

  constructor(
    readonly ctx: OperationContext<R>,
    readonly deps: StoryDeps<E>,
    readonly operation: Operation,
  ) {
    this.state = { ...(ctx.job.state ?? {}) };
    this.vnf = ctx.vnf;
    this.log = ctx.log;
    this.now = deps.now ?? Date.now;
  }

  /** True when the checkpoint has `flag` set. */
  has(flag: string): boolean {
    return this.state[flag] !== undefined && this.state[flag] !== false;
  }

  /** Merges `patch` into the checkpoint and persists it. */
  mark(patch: Record<string, unknown>): Promise<void> {
    Object.assign(this.state, patch);
    return this.ctx.job.checkpoint({ ...this.state });
  }

  /** Persists a change to the VNF record (attributes are merged, not replaced). */
  async updateVnf(patch: VnfPatch): Promise<VnfRecord> {
    const merged = patch.attributes ? { ...patch, attributes: { ...this.vnf.attributes, ...patch.attributes } } : patch;
    this.vnf = await this.ctx.updateVnf(merged);
    return this.vnf;
  }

  /** Fixes the operation's deadline (once; a resumed job keeps the first one, plus a grace period). */
  async startDeadline(durationMs: number): Promise<void> {
    if (typeof this.state.deadlineAt !== 'number') await this.mark({ deadlineAt: this.now() + durationMs });
  }

  /** Milliseconds left before the deadline (at least the resume grace on a resumed job). */
  remainingMs(): number {
    const at = typeof this.state.deadlineAt === 'number' ? this.state.deadlineAt : this.now();
    const left = at - this.now();
    return this.ctx.resumed ? Math.max(left, this.deps.settings.resumeGraceMs) : Math.max(left, 1);
  }

  /** The ESC channel serving this VNF's VNFM. */
  async channel(): Promise<EscSessionPort<E>> {
    try {
      const ch = await this.deps.esc.channelFor(this.ctx.vnfmId);
      this.escAddress = ch.address;
      return ch;
    } catch (err) {
      throw new EscOperationError(`cannot connect to the ESC of VNFM ${this.ctx.vnfmId}: ${(err as Error).message}`, {
        ...this.errorContext('connect to ESC'),
        cause: err,
      });
    }
  }

  /** Context for errors raised at `step`. */
  errorContext(step: string, extra: Partial<EscErrorContext> = {}): EscErrorContext {
    return {
      step,
      escHost: this.escAddress,
      tenant: this.vnf.escTenant,
      deployment: this.vnf.escDeployment,
      jobId: this.ctx.job.jobId,
      vnfInstanceId: this.ctx.vnf.vnfInstanceId,
      ...extra,
    };
  }

  /**
   * Asks NSLCM for a grant once per job: a resumed job whose checkpoint holds the answer reuses it.
   * A refusal (409) or failure becomes an error naming the grant step.
   */
  async grantOnce(input: Omit<GrantInput, 'vnfInstanceId' | 'vnfDescriptorId' | 'jobId' | 'vnfmId'>): Promise<GrantedVim> {
    const kept = this.state.grant as GrantedVim | undefined;
    if (kept) return kept;
    const req = buildGrantRequest({
      ...input,
      vnfInstanceId: this.ctx.vnf.vnfInstanceId,
      vnfDescriptorId: this.ctx.vnf.vnfdId,
      jobId: this.ctx.job.jobId,
      vnfmId: this.ctx.vnfmId,
    });
    let answer: GrantResult;
    try {
      answer = await this.deps.nslcm.grantVnf(req, { signal: this.ctx.signal });
    } catch (err) {
      throw new EscOperationError(`${input.operation} grant failed: ${(err as Error).message}`, {
        ...this.errorContext('grant'),
        cause: err,
      });
    }
    const granted: GrantedVim = { vimId: answer.vimId, tenant: answer.tenant };
    await this.mark({ grant: granted });
    return granted;
  }

  /** Hands a Notify to the durable outbox (stored once per job and status); resolves once it is stored. */
  async notify(status: 'START' | 'RESULT', operation: LifecycleOperation, affected: AffectedArrays = emptyAffected()): Promise<void> {
    const body: NotifyBody = { status, operation, jobId: this.ctx.job.jobId, ...affected };
    await this.deps.outbox.enqueue({
      vnfmId: this.ctx.vnfmId,
      vnfInstanceId: this.ctx.vnf.vnfInstanceId,
      jobId: this.ctx.job.jobId,
      status,
      operation,
      body,
    });
  }

  /**
   * Sends `config` unless the checkpoint (or ESC itself, on a resumed job) shows it was sent already,
   * then waits for the step's events until the operation's deadline. Listening starts before sending.
   */
  async sendAndWait(channel: EscSessionPort<E>, s: SendAndWaitStep<E>): Promise<WaitOutcome<E>> {
    const flag = `${s.step}Sent`;
    let sent = this.has(flag);
    if (!sent && this.ctx.resumed && s.alreadyApplied && (await s.alreadyApplied())) {
      this.log.info('step already applied in ESC before the restart', { step: s.step });
      await this.mark({ [flag]: true });
      sent = true;
    }
    const reconcile = s.reconcile;
    const wait = startEventWait<E>({
      source: channel,
      tenant: s.tenant,
      depname: s.depname,
      classify: s.classify,
      waitingFor: s.waitingFor,
      timeoutMs: s.timeoutMs !== undefined ? Math.min(s.timeoutMs, this.remainingMs()) : this.remainingMs(),
      signal: this.ctx.signal,
      // Until ESC accepted the edit-config, opdata says nothing about this step (the deployment may not be there yet).
      reconcile: reconcile && (() => (sent ? reconcile() : Promise.resolve(undefined))),
      reconcileAtStart: sent,
      recheckIntervalMs: this.deps.settings.recheckIntervalMs,
      onProgress: s.onProgress,
      errorContext: this.errorContext(`wait for ${s.step}`, { tenant: s.tenant, deployment: s.depname }),
      log: this.log,
    });
    if (!sent) {
      try {
        await channel.editConfig(s.config);
      } catch (err) {
        wait.cancel();
        throw new EscOperationError(`ESC rejected ${s.step}: ${(err as Error).message}`, {
          ...this.errorContext(s.step, { tenant: s.tenant, deployment: s.depname }),
          cause: err,
        });
      }
      await this.mark({ [flag]: true });
      sent = true;
    }
    return wait.result;
  }
}

/** What a grant answer gives the operations: the VIM (`owner_region`) and the tenant. */
export interface GrantedVim {
  vimId: string;
  tenant?: string;
}

/** Four empty affected arrays. */
export function emptyAffected(): AffectedArrays {
  return { affectedVnfc: [], affectedVl: [], affectedCp: [], affectedVirtualStorage: [] };
}
