import {
  EscAbortedError,
  EscOperationError,
  EscRejectedError,
  EscUnreachableError,
  isLinkError,
  type EscErrorContext,
} from '../esc/esc-errors';
import type { RoutableEvent } from '../esc/esc-event-router';
import type { EscRuntimeSettings } from '../esc/esc-runtime-settings';
import { startEventWait, type WaitOutcome, type WaitVerdict } from '../esc/event-waiter';
import type { Operation } from '../jobs/job-model';
import type { Log } from '../logging/log';
import { buildGrantRequest, type GrantInput } from '../nslcm/grant-request';
import type { GrantResult, LifecycleOperation, NotifyBody } from '../nslcm/nslcm-types';
import type { VnfPatch, VnfRecord } from '../vnfs/vnf-record';
import type { XmlElement, XmlNode } from '../xml';
import { backoffDelayMs, sleepUnlessAborted } from './esc-backoff';
import { OwnershipLost, ShutdownAbort } from './lifecycle-errors';
import type { EscPort, EscSessionPort, NotifyOutboxPort, NslcmPort } from './ports';
import type { OperationContext } from './southbound';
import type { PlacementSettings } from './esc-prerequisites';

/** The ports every story uses besides its context, and the ESC timing settings. */
/** Who recovers failed VMs: ESC on its own (`esc`), or ONAP Policy through a heal request (`onap`). */
export type HealingOwner = 'esc' | 'onap';

export interface StoryDeps<E extends RoutableEvent> {
  esc: EscPort<E>;
  nslcm: NslcmPort;
  outbox: NotifyOutboxPort;
  settings: EscRuntimeSettings;
  /** Which ESC VIM connector serves a granted VIM, and whether the driver creates missing ones (default: as named, no). */
  placement?: PlacementSettings;
  /** Who recovers a VNF's VMs when its instantiate request does not say (inputs.healingOwner); default `esc`. */
  healingOwner?: HealingOwner;
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
  /**
   * Builds the `<config>` content to send (escaped when written), each time it is sent: the tree is not kept while
   * the step waits for its events (a deployment's is ~85 nodes; a busy driver waits on hundreds of them).
   */
  config: () => XmlNode;
  classify: (event: E) => WaitVerdict | undefined;
  waitingFor: () => string;
  /** Reads opdata: is the awaited state reached? */
  reconcile?: () => Promise<WaitVerdict | undefined>;
  /**
   * Did the edit-config reach ESC? Asked on a resumed job whose flag is not set, and after a send whose answer was
   * lost (timeout, link lost): true → wait for the events, false → send again.
   */
  alreadyApplied?: () => Promise<boolean>;
  /**
   * Without `alreadyApplied`: sending the same config twice changes nothing more than once (e.g. setting a
   * group's counts), so a send whose answer was lost is sent again; otherwise it is taken as received.
   */
  idempotent?: boolean;
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
  /** A resumed job may go on at least until then, even when its deadline passed while the driver was down. */
  private readonly resumeUntil: number;

  constructor(
    readonly ctx: OperationContext<R>,
    readonly deps: StoryDeps<E>,
    readonly operation: Operation,
  ) {
    this.state = { ...(ctx.job.state ?? {}) };
    this.vnf = ctx.vnf;
    this.log = ctx.log;
    this.now = deps.now ?? Date.now;
    this.resumeUntil = this.now() + deps.settings.resumeGraceMs;
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

  /**
   * The ESC channel serving this VNF's VNFM. While ESC cannot be reached (refused, timed out, link lost) it is
   * tried again with backoff and jitter until the operation's deadline; its reads (`get`) are retried the same
   * way, since reading twice changes nothing. Its edit-configs are not: their callers decide from opdata.
   */
  async channel(): Promise<EscSessionPort<E>> {
    let ch: EscSessionPort<E>;
    try {
      ch = await this.retryWhileUnreachable('connect to ESC', () => this.deps.esc.channelFor(this.ctx.vnfmId));
    } catch (err) {
      if (err instanceof EscOperationError) throw err;
      throw new EscOperationError(`cannot connect to the ESC of VNFM ${this.ctx.vnfmId}: ${(err as Error).message}`, {
        ...this.errorContext('connect to ESC'),
        cause: err,
      });
    }
    this.escAddress = ch.address;
    const read = async (filter: XmlNode): Promise<XmlElement> => {
      try {
        return await this.retryWhileUnreachable('read opdata', () => ch.get(filter));
      } catch (err) {
        if (err instanceof EscOperationError) throw err;
        throw new EscRejectedError('read opdata', err as Error, this.errorContext('read opdata'));
      }
    };
    return {
      address: ch.address,
      editConfig: (config) => {
        if (!this.stillOurs()) return Promise.reject(new EscAbortedError(this.errorContext('edit-config')));
        return ch.editConfig(config);
      },
      get: read,
      watch: (tenant, depname, listener) => ch.watch(tenant, depname, listener),
      onResync: (listener) => ch.onResync(listener),
      onFailure: (listener) => ch.onFailure(listener),
    };
  }

  /**
   * False once the job is no longer this run's: another replica took it over (its lease ran out here) or the service
   * is shutting down. Such a run sends nothing more to ESC (its edit-configs reject with EscAbortedError, unsent) and
   * cleans nothing up: the job's next run, here or on the replica that owns it now, decides from ESC's opdata. A
   * run stopped by its deadline is still the job's and may clean up.
   */
  stillOurs(): boolean {
    const reason: unknown = this.ctx.signal.reason;
    return !(this.ctx.signal.aborted && (reason instanceof OwnershipLost || reason instanceof ShutdownAbort));
  }

  /** Runs `call` again after a link error (backoff with jitter) until the deadline; then ESC is unreachable. */
  private async retryWhileUnreachable<T>(step: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        const left = this.deadlineLeftMs();
        if (!isLinkError(err) || this.ctx.signal.aborted || left <= 0) {
          if (!isLinkError(err)) throw err;
          throw new EscUnreachableError(step, err as Error, this.errorContext(step));
        }
        const delay = Math.min(backoffDelayMs(attempt, this.deps.settings.unreachableRetry), left);
        this.log.warn('ESC unreachable; trying again', { step, attempt: attempt + 1, delayMs: delay, error: (err as Error).message });
        await sleepUnlessAborted(delay, this.ctx.signal);
      }
    }
  }

  /** Milliseconds left before the deadline (a resumed job: at least the resume grace from its start); 0 once passed. */
  private deadlineLeftMs(): number {
    const at = typeof this.state.deadlineAt === 'number' ? this.state.deadlineAt : this.now();
    return Math.max(0, this.ctx.resumed ? Math.max(at - this.now(), this.resumeUntil - this.now()) : at - this.now());
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

  /**
   * Hands a Notify to the durable outbox (stored once per job and status) and resolves once it is stored. The
   * checkpoint remembers a START, so that a job that fails afterwards still sends its RESULT ({@link sendFailedResult}).
   */
  async notify(status: 'START' | 'RESULT', operation: LifecycleOperation, affected: AffectedArrays = emptyAffected()): Promise<void> {
    await enqueueNotify(this.deps.outbox, this.ctx, status, operation, affected);
    await this.mark(status === 'START' ? { startSent: operation } : { resultSent: true });
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
      classify: (e) => s.classify(e),
      waitingFor: () => s.waitingFor(),
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
        await this.sendUntilReceived(channel, s);
      } catch (err) {
        wait.cancel();
        throw err;
      }
      await this.mark({ [flag]: true });
      sent = true;
    }
    return wait.result;
  }

  /**
   * Sends a step's edit-config. An rpc-error is a rejection. A lost answer (timeout, link lost) is an unknown
   * outcome: ESC's opdata (`alreadyApplied`) decides whether to wait or send again, an idempotent config is sent
   * again, any other is taken as received; all within the deadline.
   */
  async sendUntilReceived(
    channel: EscSessionPort<E>,
    s: Pick<SendAndWaitStep<E>, 'step' | 'tenant' | 'depname' | 'config' | 'alreadyApplied' | 'idempotent'>,
  ): Promise<void> {
    const ctx = this.errorContext(s.step, { tenant: s.tenant, deployment: s.depname });
    for (let attempt = 0; ; attempt++) {
      try {
        await channel.editConfig(s.config());
        return;
      } catch (err) {
        if (err instanceof EscAbortedError) throw err;
        if (!isLinkError(err)) throw new EscRejectedError(s.step, err as Error, ctx);
        this.log.warn('the answer to an edit-config was lost; deciding from opdata', { step: s.step, error: (err as Error).message });
        if (!s.alreadyApplied && !s.idempotent) return;
        const left = this.deadlineLeftMs();
        if (left <= 0 || this.ctx.signal.aborted) throw new EscUnreachableError(s.step, err as Error, ctx);
        await sleepUnlessAborted(Math.min(backoffDelayMs(attempt, this.deps.settings.unreachableRetry), left), this.ctx.signal);
        if (s.alreadyApplied && (await s.alreadyApplied())) return;
      }
    }
  }
}

/** What a grant answer gives the operations: the VIM (`owner_region`) and the tenant. */
export interface GrantedVim {
  vimId: string;
  tenant?: string;
}

async function enqueueNotify<R>(
  outbox: NotifyOutboxPort,
  ctx: OperationContext<R>,
  status: 'START' | 'RESULT',
  operation: LifecycleOperation,
  affected: AffectedArrays,
): Promise<void> {
  const body: NotifyBody = { status, operation, jobId: ctx.job.jobId, ...affected };
  // Fenced: a run whose job another replica claimed meanwhile queues nothing (FencedWriteError ends it).
  await outbox.enqueue({
    vnfmId: ctx.vnfmId,
    vnfInstanceId: ctx.vnf.vnfInstanceId,
    jobId: ctx.job.jobId,
    status,
    operation,
    body,
    fence: ctx.fence,
  });
}

/**
 * After a job failed: when it sent START and no RESULT yet, sends the RESULT with what really changed — the
 * arrays a story recorded in its checkpoint as `changedOnFailure`, else nothing.
 */
export async function sendFailedResult<R>(outbox: NotifyOutboxPort, ctx: OperationContext<R>): Promise<boolean> {
  const state = ctx.job.state ?? {};
  const operation = state.startSent as LifecycleOperation | undefined;
  if (!operation || state.resultSent) return false;
  await enqueueNotify(outbox, ctx, 'RESULT', operation, (state.changedOnFailure as AffectedArrays | undefined) ?? emptyAffected());
  await ctx.job.checkpoint({ ...state, resultSent: true });
  return true;
}

/** Four empty affected arrays. */
export function emptyAffected(): AffectedArrays {
  return { affectedVnfc: [], affectedVl: [], affectedCp: [], affectedVirtualStorage: [] };
}
