import type { Log } from '../logging/log';
import {
  EscAbortedError,
  EscConnectionRefusedError,
  EscDeadlineError,
  EscDeploymentGoneError,
  EscEventFailureError,
  type EscErrorContext,
} from './esc-errors';
import type { EscEventListener } from './esc-event-router';

/** What one escEvent (or one opdata check) means for the wait; `gone`: opdata no longer holds the deployment. */
export type WaitVerdict =
  { kind: 'done' } | { kind: 'failed'; eventType: string; message: string } | { kind: 'progress'; description: string } | { kind: 'gone' };

/** Where events and reconnect notices come from (one ESC). */
export interface EscEventSource<E> {
  watch(tenant: string, depname: string, listener: EscEventListener<E>): () => void;
  /** Called after the event session was re-established: events may have been missed. */
  onResync(listener: () => void): () => void;
  /** Called once if the event session is lost for good (ESC refused the credentials or host key). */
  onFailure(listener: (err: Error) => void): () => void;
}

/** Options of {@link startEventWait}. */
export interface EventWaitOptions<E> {
  source: EscEventSource<E>;
  tenant: string;
  depname: string;
  /** Maps an event of the deployment to a verdict; undefined ignores it. May keep state. */
  classify(event: E): WaitVerdict | undefined;
  /** Human text for the deadline error, e.g. `SERVICE_ALIVE of deployment d`; read when the deadline hits. */
  waitingFor(): string;
  /** Deadline, in ms from the start of the wait. */
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Reads ESC's opdata and says whether the awaited state is already reached (done/failed) or not
   * (undefined). Run after every reconnect and every `recheckIntervalMs`, so missed events cannot
   * leave the wait hanging.
   */
  reconcile?: () => Promise<WaitVerdict | undefined>;
  /** Run `reconcile` once right away (a resumed job whose request may have completed meanwhile). */
  reconcileAtStart?: boolean;
  /** Period of the opdata re-check in ms; 0 or absent = only after reconnects. */
  recheckIntervalMs?: number;
  onProgress?: (description: string) => void;
  /** Context for the errors this wait raises. */
  errorContext: EscErrorContext;
  log: Log;
}

/** How the wait ended successfully. */
export type WaitOutcome<E> = { via: 'event'; event: E } | { via: 'opdata' };

/** A wait that is listening already; `result` settles once. */
export interface PendingEventWait<E> {
  readonly result: Promise<WaitOutcome<E>>;
  /** Stops listening; `result` rejects with an abort error if still pending. */
  cancel(): void;
}

/**
 * Starts listening to a deployment's escEvents at once (so that events caused by an edit-config sent
 * right after cannot be missed) and settles when `classify` or `reconcile` says done or failed, the
 * deadline passes, or the signal aborts. All timers and listeners are released when it settles.
 */
export function startEventWait<E>(opts: EventWaitOptions<E>): PendingEventWait<E> {
  let settle!: (fn: () => void) => void;
  let cancel!: () => void;
  const result = new Promise<WaitOutcome<E>>((resolve, reject) => {
    let done = false;
    let reconciling = false;
    const cleanups: Array<() => void> = [];
    settle = (fn) => {
      if (done) return;
      done = true;
      for (const c of cleanups) c();
      fn();
    };
    const apply = (verdict: WaitVerdict | undefined, outcome: WaitOutcome<E>): void => {
      if (!verdict || done) return;
      if (verdict.kind === 'progress') opts.onProgress?.(verdict.description);
      else if (verdict.kind === 'done') settle(() => resolve(outcome));
      else if (verdict.kind === 'gone') settle(() => reject(new EscDeploymentGoneError(opts.errorContext, opts.waitingFor())));
      else settle(() => reject(new EscEventFailureError(verdict.eventType, verdict.message, opts.errorContext)));
    };
    const recheck = (): void => {
      if (!opts.reconcile || reconciling || done) return;
      reconciling = true;
      opts
        .reconcile()
        .then((v) => apply(v, { via: 'opdata' }))
        .catch((err: Error) => opts.log.warn('opdata re-check failed; still waiting for events', { error: err.message }))
        .finally(() => {
          reconciling = false;
        });
    };
    cancel = () => settle(() => reject(new EscAbortedError(opts.errorContext)));

    cleanups.push(opts.source.watch(opts.tenant, opts.depname, (event) => apply(opts.classify(event), { via: 'event', event })));
    cleanups.push(opts.source.onResync(recheck));
    cleanups.push(opts.source.onFailure((err) => settle(() => reject(new EscConnectionRefusedError(err, opts.errorContext)))));
    const deadline = setTimeout(
      () => settle(() => reject(new EscDeadlineError(opts.waitingFor(), opts.timeoutMs, opts.errorContext))),
      opts.timeoutMs,
    );
    cleanups.push(() => clearTimeout(deadline));
    if (opts.recheckIntervalMs && opts.recheckIntervalMs > 0 && opts.reconcile) {
      const interval = setInterval(recheck, opts.recheckIntervalMs);
      cleanups.push(() => clearInterval(interval));
    }
    if (opts.reconcileAtStart) recheck();
    if (opts.signal) {
      if (opts.signal.aborted) cancel();
      const onAbort = (): void => cancel();
      opts.signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => opts.signal?.removeEventListener('abort', onAbort));
    }
  });
  // A caller that cancels before awaiting must not produce an unhandled rejection.
  result.catch(() => undefined);
  return { result, cancel: () => cancel() };
}
