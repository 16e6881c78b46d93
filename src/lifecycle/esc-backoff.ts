import { jitteredBackoffMs } from '../async/backoff';

/** Backoff between attempts to reach ESC: doubling from `initialMs` up to `maxMs`, each cut by up to `jitter` (0..1). */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  jitter: number;
}

/** The delay before attempt `attempt + 1` (attempt counts from 0), with jitter so that jobs do not retry in step. */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  return Math.max(1, jitteredBackoffMs(attempt, policy.initialMs, policy.maxMs, policy.jitter, random));
}

/** Waits `ms`, or less when `signal` aborts (the caller then sees the aborted signal). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
