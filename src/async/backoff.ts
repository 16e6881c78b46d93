/**
 * Exponential backoff with jitter, the one formula every retry loop of the service uses: before retry number
 * `attempt + 1` (attempt counting from 0) wait `initialMs · 2^attempt`, capped at `maxMs`, then shortened by a random
 * share of up to `jitter` (0..1) of itself, so that peers and jobs do not retry in step.
 */
export function jitteredBackoffMs(
  attempt: number,
  initialMs: number,
  maxMs: number,
  jitter: number,
  random: () => number = Math.random,
): number {
  const capped = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.round(capped * (1 - Math.min(1, Math.max(0, jitter)) * random()));
}
