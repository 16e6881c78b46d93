import { pollMetrics, type StoredFigures } from '../../../bench/lib/poll-targets';

const small: StoredFigures = { jobs: 10_000, p50: 1, p99: 4, max: 9, peakRssMb: 90 };

function verdicts(driver: number, express: number, large: StoredFigures): Record<string, boolean | undefined> {
  return Object.fromEntries(
    pollMetrics(driver, express, small, large, 1000)
      .filter((m) => m.pass !== undefined)
      .map((m) => [m.metric, m.pass]),
  );
}

describe('pollMetrics', () => {
  it('when the driver reaches 0.8 × Express and the larger store changes nothing, then every target passes', () => {
    expect(verdicts(8000, 10_000, { ...small, jobs: 100_000 })).toEqual({
      'driver / Express': true,
      'poll p50 at 1000/s, 100,000 jobs stored': true,
      'driver peak RSS, 100,000 jobs stored': true,
    });
  });

  it('when the driver is under 0.8 × Express and p50 and RSS grow with the jobs stored, then those three miss', () => {
    expect(verdicts(7900, 10_000, { ...small, jobs: 100_000, p50: 2.6, peakRssMb: 111 })).toEqual({
      'driver / Express': false,
      'poll p50 at 1000/s, 100,000 jobs stored': false,
      'driver peak RSS, 100,000 jobs stored': false,
    });
  });

  it('when the larger store is within the noise allowance, then it counts as not growing and the limits are shown', () => {
    const metrics = pollMetrics(9000, 10_000, small, { ...small, jobs: 100_000, p50: 2.4, p99: 40, peakRssMb: 109 }, 1000);

    expect(metrics.find((m) => m.metric.startsWith('poll p50 at 1000/s, 100,000'))).toMatchObject({
      target: '< 2.5 ms (not growing)',
      pass: true,
    });
    expect(metrics.find((m) => m.metric.startsWith('poll p99 at 1000/s, 100,000'))).not.toHaveProperty('target');
    expect(metrics.find((m) => m.metric === 'driver peak RSS, 100,000 jobs stored')).toMatchObject({
      target: '< 110 MB (not growing)',
      pass: true,
    });
    expect(metrics.find((m) => m.metric === 'driver / Express')).toMatchObject({ value: 0.9 });
  });
});
