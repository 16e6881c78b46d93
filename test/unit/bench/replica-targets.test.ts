import type { SoakFigures } from '../../../bench/lib/replica-soak';
import { baselineMetrics, baselineOf, faultMetrics } from '../../../bench/lib/replica-targets';

function soak(over: Partial<SoakFigures>): SoakFigures {
  return {
    lifecycles: 50,
    replicas: 3,
    store: 'postgresql',
    seed: 1,
    faultsInjected: 12,
    faultEvents: [],
    seconds: 20,
    lifecyclesFinished: 50,
    failures: [],
    jobsStarted: 150,
    jobsLost: [],
    jobsStuck: [],
    notify: { expected: 300, accepted: 301, duplicates: [], missing: [], outOfOrder: [], unrelated: [] },
    driverCpuMs: 5000,
    gatewayErrors: {},
    ...over,
  };
}

const verdicts = (m: ReturnType<typeof faultMetrics>): Record<string, boolean | undefined> =>
  Object.fromEntries(m.map((x) => [x.metric.replace(/ \(.*\)$/, ''), x.pass]));

describe('replica soak targets', () => {
  it('when nothing was lost, stuck, missing or out of order and the one duplicate is explained, then every target passes', () => {
    const f = soak({
      notify: { ...soak({}).notify, duplicates: [{ jobId: 'j', status: 'RESULT', deliveries: [1, 2], explanation: 'kill' }] },
    });

    expect(verdicts(faultMetrics(f, 0))).toEqual({
      'faults injected': true,
      'lifecycles finished': true,
      'jobs lost': true,
      'jobs stuck': true,
      'jobs written by two owners': true,
      'Notify missing': true,
      'Notify out of order': true,
      'Notify duplicated': undefined,
      'Notify duplicated without a kill or freeze to explain it': true,
    });
  });

  it('when a job was lost, one written by two owners, a duplicate unexplained and fewer than 10 faults injected, then those miss', () => {
    const f = soak({
      faultsInjected: 9,
      jobsLost: ['j1'],
      notify: { ...soak({}).notify, duplicates: [{ jobId: 'j', status: 'RESULT', deliveries: [1, 2] }] },
    });
    const v = verdicts(faultMetrics(f, 1));

    expect([
      v['faults injected'],
      v['jobs lost'],
      v['jobs written by two owners'],
      v['Notify duplicated without a kill or freeze to explain it'],
    ]).toEqual([false, false, false, false]);
  });

  it('when three replicas spend 1.2 × and one replica 2.5 × the CPU of the reference per lifecycle, then only the second ratio misses', () => {
    const at = (label: string, cpuMs: number) => baselineOf(label, soak({ lifecyclesFinished: 100, seconds: 10, driverCpuMs: cpuMs }));
    const m = baselineMetrics(at('SQLite', 1000), [at('PG × 1', 2500), at('PG × 2', 2800), at('PG × 3', 3000)]);
    const ratios = m.filter((x) => x.unit === 'ratio').map((x) => [x.value, x.pass]);

    expect(ratios).toEqual([
      [1.2, true],
      [2.5, false],
    ]);
    expect(m.find((x) => x.metric === 'lifecycles/s (SQLite, no faults)')?.value).toBe(10);
    expect(m.find((x) => x.metric === 'driver CPU per lifecycle (PG × 3, no faults)')?.value).toBe(30);
  });
});
