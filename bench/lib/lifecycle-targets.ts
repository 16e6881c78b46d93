import type { BenchMetric } from './bench-result';
import type { LatencySummary } from './percentiles';

/** What one lifecycle pass measured (latencies and CPU in ms). */
export interface LifecycleFigures {
  n: number;
  seconds: number;
  finished: number;
  /** Why the lifecycles that did not finish failed, one message each. */
  failures: string[];
  non2xx: number;
  polls: LatencySummary;
  posts: LatencySummary;
  driverCpuMs: number;
  driverPeakRssMb: number;
  simulator: { cpuMs: number; peakRssMb: number; maxLoopDelayMs: number };
  stub: { cpuMs: number; peakRssMb: number; maxLoopDelayMs: number };
}

/** The lifecycle targets: what NSLCM polling every 2 s can notice, and what a driver container can afford. */
const TARGETS = {
  /** Latency targets hold for passes of at most this many lifecycles. */
  latencyUpToN: 200,
  pollP99Ms: 100,
  pollMaxMs: 1000,
  postP99Ms: 500,
  cpuMsPerLifecycle: 15,
  peakRssMb: 250,
};

/**
 * The figures of one pass as metrics named with its N, each with its target where one applies: all finished and no
 * non-2xx answer at every N; CPU per finished lifecycle and peak RSS at every N; poll p99, poll max and POST p99 at
 * N ≤ 200 (reported without a target above).
 */
export function lifecycleMetrics(f: LifecycleFigures): BenchMetric[] {
  const at = (metric: string): string => `${metric} (N = ${f.n.toLocaleString('en-US')})`;
  const latency = f.n <= TARGETS.latencyUpToN;
  const below = (metric: string, value: number, unit: string, limit: number, applies = true): BenchMetric =>
    applies
      ? { metric: at(metric), value, unit, target: `< ${limit.toLocaleString('en-US')} ${unit}`, pass: value < limit }
      : { metric: at(metric), value, unit };
  const cpuPerLifecycle = f.finished === 0 ? Number.NaN : f.driverCpuMs / f.finished;
  return [
    { metric: at('lifecycles finished'), value: f.finished, unit: 'count', target: `= ${f.n}`, pass: f.finished === f.n },
    { metric: at('non-2xx answers'), value: f.non2xx, unit: 'count', target: '= 0', pass: f.non2xx === 0 },
    { metric: at('poll p50'), value: f.polls.p50, unit: 'ms' },
    below('poll p99', f.polls.p99, 'ms', TARGETS.pollP99Ms, latency),
    below('poll max', f.polls.max, 'ms', TARGETS.pollMaxMs, latency),
    below('operation POST p99', f.posts.p99, 'ms', TARGETS.postP99Ms, latency),
    below('driver CPU per lifecycle', cpuPerLifecycle, 'ms', TARGETS.cpuMsPerLifecycle),
    below('driver peak RSS', f.driverPeakRssMb, 'MB', TARGETS.peakRssMb),
  ];
}
