import type { BenchMetric } from './bench-result';

/** The driver's figures with a number of jobs stored: latency at a fixed poll rate (ms) and peak RSS (MB). */
export interface StoredFigures {
  jobs: number;
  p50: number;
  p99: number;
  max: number;
  peakRssMb: number;
}

/** Driver polls/s at least this share of the Express hello-world route's. */
const EXPRESS_RATIO_TARGET = 0.8;
/**
 * How much a figure may rise from the smaller store to the larger one and still count as not growing with the number
 * stored: run-to-run noise on a shared machine, far below what a scan of the stored jobs would add. Latency is judged
 * on the median: a cost that grows with the jobs stored is paid by every poll, while the tail of a 5 s run on a
 * shared machine moves by tens of ms from one run to the next.
 */
const NOT_GROWING = { p50Factor: 1.5, p50SlackMs: 1, rssSlackMb: 20 };

/**
 * The jobs-poll metrics: throughput of the driver and of the Express route side by side (ratio ≥ 0.8), then the
 * latency and peak RSS with the smaller and the larger store, the larger one's p50 and RSS checked against the
 * smaller one's (within NOT_GROWING).
 */
export function pollMetrics(
  driverPerSecond: number,
  expressPerSecond: number,
  small: StoredFigures,
  large: StoredFigures,
  rate: number,
): BenchMetric[] {
  const ratio = driverPerSecond / expressPerSecond;
  const p50Limit = small.p50 * NOT_GROWING.p50Factor + NOT_GROWING.p50SlackMs;
  const rssLimit = small.peakRssMb + NOT_GROWING.rssSlackMb;
  const stored = (f: StoredFigures): string => `${f.jobs.toLocaleString('en-US')} jobs stored`;
  const figures = (f: StoredFigures): BenchMetric[] => [
    { metric: `poll p50 at ${rate}/s, ${stored(f)}`, value: f.p50, unit: 'ms' },
    { metric: `poll p99 at ${rate}/s, ${stored(f)}`, value: f.p99, unit: 'ms' },
    { metric: `poll max at ${rate}/s, ${stored(f)}`, value: f.max, unit: 'ms' },
    { metric: `driver peak RSS, ${stored(f)}`, value: f.peakRssMb, unit: 'MB' },
  ];
  return [
    { metric: `driver polls/s, ${stored(large)}`, value: Math.round(driverPerSecond), unit: 'polls/s' },
    { metric: 'Express hello-world polls/s', value: Math.round(expressPerSecond), unit: 'polls/s' },
    {
      metric: 'driver / Express',
      value: Number(ratio.toFixed(2)),
      unit: 'ratio',
      target: `≥ ${EXPRESS_RATIO_TARGET}`,
      pass: ratio >= EXPRESS_RATIO_TARGET,
    },
    ...figures(small),
    ...figures(large).map((m) => {
      if (m.metric.startsWith('poll p50'))
        return { ...m, target: `< ${Number(p50Limit.toFixed(2))} ms (not growing)`, pass: m.value < p50Limit };
      if (m.metric.startsWith('driver peak RSS'))
        return { ...m, target: `< ${Math.round(rssLimit)} MB (not growing)`, pass: m.value < rssLimit };
      return m;
    }),
  ];
}
