import { lifecycleMetrics, type LifecycleFigures } from '../../../bench/lib/lifecycle-targets';
import { summarize } from '../../../bench/lib/percentiles';

const idle = { cpuMs: 1, peakRssMb: 1, maxLoopDelayMs: 1 };

function figures(over: Partial<LifecycleFigures>): LifecycleFigures {
  return {
    n: 200,
    seconds: 10,
    finished: 200,
    failures: [],
    non2xx: 0,
    polls: summarize([2, 3, 40]),
    posts: summarize([5, 6]),
    driverCpuMs: 2000,
    driverPeakRssMb: 120,
    simulator: idle,
    stub: idle,
    ...over,
  };
}

const verdicts = (f: LifecycleFigures): Record<string, boolean | undefined> =>
  Object.fromEntries(lifecycleMetrics(f).map((m) => [m.metric, m.pass]));

describe('lifecycleMetrics', () => {
  it('when N = 200 meets every target, then every target passes and poll p50 carries none', () => {
    expect(verdicts(figures({}))).toEqual({
      'lifecycles finished (N = 200)': true,
      'non-2xx answers (N = 200)': true,
      'poll p50 (N = 200)': undefined,
      'poll p99 (N = 200)': true,
      'poll max (N = 200)': true,
      'operation POST p99 (N = 200)': true,
      'driver CPU per lifecycle (N = 200)': true,
      'driver peak RSS (N = 200)': true,
    });
  });

  it('when a lifecycle failed, a poll took 1 s and an answer was not 2xx, then those targets miss', () => {
    const v = verdicts(figures({ finished: 199, non2xx: 1, polls: summarize([2, 1000]) }));

    expect(v['lifecycles finished (N = 200)']).toBe(false);
    expect(v['non-2xx answers (N = 200)']).toBe(false);
    expect(v['poll max (N = 200)']).toBe(false);
    expect(v['poll p99 (N = 200)']).toBe(false);
  });

  it('when N = 1,000, then latencies are reported without targets and CPU is divided by the lifecycles finished', () => {
    const metrics = lifecycleMetrics(
      figures({ n: 1000, finished: 100, driverCpuMs: 1600, polls: summarize([5000]), driverPeakRssMb: 260 }),
    );
    const byName = Object.fromEntries(metrics.map((m) => [m.metric, m]));

    expect(byName['poll p99 (N = 1,000)']).toEqual({ metric: 'poll p99 (N = 1,000)', value: 5000, unit: 'ms' });
    expect(byName['driver CPU per lifecycle (N = 1,000)']).toMatchObject({ value: 16, pass: false });
    expect(byName['driver peak RSS (N = 1,000)']).toMatchObject({ target: '< 250 MB', pass: false });
  });

  it('when no lifecycle finished, then CPU per lifecycle is not a number and misses', () => {
    expect(lifecycleMetrics(figures({ finished: 0 })).find((m) => m.metric.startsWith('driver CPU'))).toMatchObject({ pass: false });
  });
});
