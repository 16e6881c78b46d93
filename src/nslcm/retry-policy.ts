import { jitteredBackoffMs } from '../async/backoff';

/* Exponential backoff with full jitter, bounded in attempts and total time, abortable. */

/** How often and how long to retry. All durations in milliseconds. */
export interface RetryPolicy {
  /** Total attempts including the first (≥ 1). */
  maxAttempts: number;
  /** Delay before the first retry. */
  initialDelayMs: number;
  /** Upper bound of any single delay. */
  maxDelayMs: number;
  /** Give up when the next attempt would start later than this after the first one. */
  maxTotalMs: number;
  /** Fraction of the delay that is randomised, 0 (none) … 1 (full jitter). */
  jitter: number;
}

/** Defaults for calls to NSLCM: 5 attempts, 0.5 s → 8 s, at most 60 s in all. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxTotalMs: 60_000,
  jitter: 0.5,
};

/**
 * Delay before retry number `retry` (1 = first retry): `initial * 2^(retry-1)`, capped at `maxDelayMs`,
 * then reduced by up to `jitter` of itself using `random()` ∈ [0, 1).
 */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, 'initialDelayMs' | 'maxDelayMs' | 'jitter'>,
  random: () => number = Math.random,
): number {
  return jitteredBackoffMs(retry - 1, policy.initialDelayMs, policy.maxDelayMs, policy.jitter, random);
}

/** Thrown when the signal given to {@link retryWithBackoff} or {@link sleep} is aborted. */
export class AbortedError extends Error {
  constructor(what: string) {
    super(`${what} aborted`);
    this.name = 'AbortedError';
  }
}

/** Sleeps `ms`, waking early with {@link AbortedError} when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError('wait'));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError('wait'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Options of one retried operation. */
export interface RetryOptions {
  policy: RetryPolicy;
  /** Whether an error is worth another attempt. */
  isRetryable: (err: unknown) => boolean;
  signal?: AbortSignal;
  random?: () => number;
  now?: () => number;
  /** Called before each wait; for logging. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** Outcome of a failed retried operation: the last error and how many attempts were made. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly lastError: unknown,
    readonly attempts: number,
  ) {
    super(`gave up after ${attempts} attempt(s): ${lastError instanceof Error ? lastError.message : String(lastError)}`, {
      cause: lastError,
    });
    this.name = 'RetriesExhaustedError';
  }
}

/**
 * Runs `fn(attempt)` until it resolves, a non-retryable error occurs, attempts or total time run out,
 * or the signal aborts. Non-retryable errors are rethrown as they are; exhaustion throws
 * {@link RetriesExhaustedError} wrapping the last error.
 */
export async function retryWithBackoff<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const now = opts.now ?? Date.now;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) throw new AbortedError('retried call');
    try {
      return await fn(attempt);
    } catch (err) {
      if (!opts.isRetryable(err) || opts.signal?.aborted) throw err;
      if (attempt >= opts.policy.maxAttempts) throw new RetriesExhaustedError(err, attempt);
      const delay = backoffDelay(attempt, opts.policy, opts.random);
      if (now() + delay - started > opts.policy.maxTotalMs) throw new RetriesExhaustedError(err, attempt);
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay, opts.signal);
    }
  }
}
