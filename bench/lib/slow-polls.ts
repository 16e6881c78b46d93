/** One poll of a lifecycle run: when it was sent (ms since the run began), its round trip, which poll of its job. */
export interface TimedPoll {
  atMs: number;
  ms: number;
  /** 1 for the poll sent right after the operation's POST was answered, 2 for the next, ... */
  nth: number;
  operation: string;
}

/**
 * Where the polls at or over `thresholdMs` fell: one line with their count, then one line per `bucketMs` stretch of
 * the run that had any (how many, which operation, how many were the first poll of their job, the slowest).
 * Meant to tell a warm-up or a herd of requests from slowness spread over the whole run.
 */
export function describeSlowPolls(polls: readonly TimedPoll[], thresholdMs: number, bucketMs: number): string[] {
  const slow = polls.filter((p) => p.ms >= thresholdMs);
  const lines = [`polls ≥ ${thresholdMs} ms: ${slow.length} of ${polls.length}`];
  const buckets = new Map<number, TimedPoll[]>();
  for (const p of slow) {
    const key = Math.floor(p.atMs / bucketMs);
    const inBucket = buckets.get(key);
    if (inBucket) inBucket.push(p);
    else buckets.set(key, [p]);
  }
  for (const key of [...buckets.keys()].sort((a, b) => a - b)) {
    const inBucket = buckets.get(key)!;
    const ops = [...new Set(inBucket.map((p) => p.operation))].sort().join('+');
    const first = inBucket.filter((p) => p.nth === 1).length;
    const slowest = Math.max(...inBucket.map((p) => p.ms));
    const from = ((key * bucketMs) / 1000).toFixed(2);
    const to = (((key + 1) * bucketMs) / 1000).toFixed(2);
    lines.push(`  ${from}–${to} s: ${inBucket.length} (${ops}; ${first} first polls of their job), slowest ${slowest.toFixed(1)} ms`);
  }
  return lines;
}
