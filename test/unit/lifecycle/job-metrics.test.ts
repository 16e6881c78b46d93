import type { Operation } from '../../../src/jobs/job-model';
import { SqliteDriverStore } from '../../../src/jobs/sqlite-store';
import { GROUP_WINDOW_MS } from '../../../src/store/group-commit';
import type { JobMetrics } from '../../../src/lifecycle/job-metrics';
import { LifecycleService, type Caller, type LifecycleDeps } from '../../../src/lifecycle/lifecycle-service';
import type { InstantiateVnfRequest } from '../../../src/lifecycle/requests';
import type { OperationContext, Southbound } from '../../../src/lifecycle/southbound';
import { vnfInfoFromRecord } from '../../../src/vnfs/vnf-record';
import { silentLog } from '../../../src/logging/log';
import { createMetrics, type Metrics } from '../../../src/metrics';

const CALLER: Caller = { vnfmId: 'vnfm-1', requestId: 'req-1' };
const DEADLINES: Record<Operation, number> = { instantiate: 60, terminate: 60, scale: 60, heal: 60, operate: 60 };
const INSTANTIATE: InstantiateVnfRequest = {
  vnfInstanceName: 'vnf',
  vnfPackageId: 'pkg',
  vnfDescriptorId: 'vnfd',
  extVirtualLink: [],
  additionalParam: { inputs: {} },
};

type Outcome = 'resolve' | 'reject' | 'hang';

/** A southbound whose every operation resolves, rejects or never settles, as set per operation. */
function fakeSouthbound(outcomes: Partial<Record<Operation, Outcome>> = {}): Southbound & { calls: Operation[] } {
  const calls: Operation[] = [];
  const run =
    (op: Operation) =>
    (ctx: OperationContext<unknown>): Promise<void> => {
      calls.push(op);
      const outcome = outcomes[op] ?? 'resolve';
      if (outcome === 'resolve') return Promise.resolve();
      if (outcome === 'reject') return Promise.reject(Object.assign(new Error(`${op} broke`), { code: 'ESC_FAILED' }));
      return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error), { once: true }));
    };
  return {
    calls,
    instantiate: run('instantiate'),
    terminate: run('terminate'),
    scale: run('scale'),
    heal: run('heal'),
    operate: run('operate'),
    query: async (vnf) => vnfInfoFromRecord(vnf),
  };
}

async function value(
  metric: { get(): Promise<{ values: Array<{ value: number; labels: Record<string, unknown>; metricName?: string }> }> },
  labels: Record<string, string>,
  metricName?: string,
): Promise<number> {
  const { values } = await metric.get();
  const hit = values.find(
    (v) => (metricName === undefined || v.metricName === metricName) && Object.entries(labels).every(([k, want]) => v.labels[k] === want),
  );
  return hit?.value ?? 0;
}

const durationCount = (m: Metrics, operation: Operation) => value(m.jobDuration, { operation }, 'vnfm_job_duration_seconds_count');
const durationSum = (m: Metrics, operation: Operation) => value(m.jobDuration, { operation }, 'vnfm_job_duration_seconds_sum');

async function untilFinal(store: SqliteDriverStore, jobId: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const status = (await store.getJob(jobId))?.latest.status;
    if (status === 'finished' || status === 'error') {
      // The read sees the final entry in the open group commit; the job's end is counted once that commit resolves
      // the write. Its timer was set before this one, for as long, so it runs first.
      await new Promise((r) => setTimeout(r, GROUP_WINDOW_MS));
      return status;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`job ${jobId} did not end`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LifecycleService job metrics', () => {
  let store: SqliteDriverStore;
  let metrics: Metrics;
  const services: LifecycleService[] = [];

  const service = (southbound: Southbound, extra: Partial<LifecycleDeps> = {}): LifecycleService => {
    const svc = new LifecycleService({ store, southbound, log: silentLog, deadlines: DEADLINES, metrics, ...extra });
    services.push(svc);
    return svc;
  };

  beforeEach(() => {
    store = SqliteDriverStore.open(':memory:');
    metrics = createMetrics({ collectDefaults: false });
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.stop(1000)));
    await store.close();
  });

  it('when the full prom-client Metrics is given as deps.metrics, then it satisfies the JobMetrics port', () => {
    const port: JobMetrics = createMetrics({ collectDefaults: false });
    expect(typeof port.jobsStarted.inc).toBe('function');
  });

  it('when an instantiate is accepted and finishes, then started, finished and one duration are counted for instantiate', async () => {
    const svc = service(fakeSouthbound());
    const accepted = await svc.instantiate(CALLER, INSTANTIATE);
    expect(await value(metrics.jobsStarted, { operation: 'instantiate' })).toBe(1);
    expect(await value(metrics.jobsFinished, { operation: 'instantiate' })).toBe(0);

    accepted.launch();
    expect(await untilFinal(store, accepted.jobId)).toBe('finished');
    expect(await value(metrics.jobsFinished, { operation: 'instantiate' })).toBe(1);
    expect(await value(metrics.jobsFailed, { operation: 'instantiate' })).toBe(0);
    expect(await durationCount(metrics, 'instantiate')).toBe(1);
    expect(await durationSum(metrics, 'instantiate')).toBeGreaterThanOrEqual(0);
  });

  it('when a terminate fails, then failed{operation="terminate"} and its duration move and nothing else ends', async () => {
    const svc = service(fakeSouthbound({ terminate: 'reject' }));
    const inst = await svc.instantiate(CALLER, INSTANTIATE);
    inst.launch();
    await untilFinal(store, inst.jobId);

    const term = await svc.terminate(CALLER, inst.vnfInstanceId, { terminationType: 'FORCEFUL', gracefulTerminationTimeout: 0 });
    term.launch();
    expect(await untilFinal(store, term.jobId)).toBe('error');

    expect(await value(metrics.jobsStarted, { operation: 'terminate' })).toBe(1);
    expect(await value(metrics.jobsFailed, { operation: 'terminate' })).toBe(1);
    expect(await value(metrics.jobsFinished, { operation: 'terminate' })).toBe(0);
    expect(await value(metrics.jobsFailed, { operation: 'instantiate' })).toBe(0);
    expect(await durationCount(metrics, 'terminate')).toBe(1);
    expect(await durationCount(metrics, 'instantiate')).toBe(1);
  });

  it('when an operation is refused because another job runs, then no job is counted as started', async () => {
    const svc = service(fakeSouthbound({ instantiate: 'hang' }));
    const inst = await svc.instantiate(CALLER, INSTANTIATE);
    await expect(
      svc.scale(CALLER, inst.vnfInstanceId, { type: 'SCALE_OUT', aspectId: 'a', numberOfSteps: 1, additionalParam: {} }),
    ).rejects.toThrow();
    await expect(svc.terminate(CALLER, inst.vnfInstanceId, { terminationType: 'FORCEFUL', gracefulTerminationTimeout: 0 })).rejects.toThrow(
      /running/,
    );
    expect(await value(metrics.jobsStarted, { operation: 'instantiate' })).toBe(1);
    expect(await value(metrics.jobsStarted, { operation: 'terminate' })).toBe(0);
    expect(await value(metrics.jobsStarted, { operation: 'scale' })).toBe(0);
  });

  it('when a job is interrupted by shutdown, then it is not counted as ended', async () => {
    const svc = service(fakeSouthbound({ instantiate: 'hang' }));
    const inst = await svc.instantiate(CALLER, INSTANTIATE);
    inst.launch();
    await sleep(10);
    await svc.stop(1000);
    expect((await store.getJob(inst.jobId))?.latest.status).toBe('started');
    expect(await value(metrics.jobsFinished, { operation: 'instantiate' })).toBe(0);
    expect(await value(metrics.jobsFailed, { operation: 'instantiate' })).toBe(0);
    expect(await durationCount(metrics, 'instantiate')).toBe(0);
  });

  it('when an operation is asked on a terminated VNF, then it is refused as not operable and no job is counted', async () => {
    const svc = service(fakeSouthbound());
    const inst = await svc.instantiate(CALLER, INSTANTIATE);
    inst.launch();
    await untilFinal(store, inst.jobId);
    const term = await svc.terminate(CALLER, inst.vnfInstanceId, { terminationType: 'FORCEFUL', gracefulTerminationTimeout: 0 });
    term.launch();
    expect(await untilFinal(store, term.jobId)).toBe('finished');

    const refused = svc.scale(CALLER, inst.vnfInstanceId, { type: 'SCALE_OUT', aspectId: 'a', numberOfSteps: 1, additionalParam: {} });
    await expect(refused).rejects.toThrow(/is TERMINATED; scale is not possible/);
    await expect(refused).rejects.toMatchObject({ code: 'VNF_NOT_OPERABLE' });
    expect(await value(metrics.jobsStarted, { operation: 'scale' })).toBe(0);
  });

  it('when a job is resumed after a restart, then it is counted once, measured from its stored creation time', async () => {
    const before = service(fakeSouthbound({ instantiate: 'hang' }));
    const inst = await before.instantiate(CALLER, INSTANTIATE);
    inst.launch();
    await before.stop(1000);
    await sleep(250);

    // The restarted process has a fresh registry, as after a real restart.
    metrics = createMetrics({ collectDefaults: false });
    const after = service(fakeSouthbound());
    expect(await after.resumeUnfinished()).toBe(1);
    expect(await untilFinal(store, inst.jobId)).toBe('finished');
    expect(await after.resumeUnfinished()).toBe(0);
    await sleep(20);

    expect(await value(metrics.jobsStarted, { operation: 'instantiate' })).toBe(0);
    expect(await value(metrics.jobsFinished, { operation: 'instantiate' })).toBe(1);
    expect(await durationCount(metrics, 'instantiate')).toBe(1);
    expect(await durationSum(metrics, 'instantiate')).toBeGreaterThanOrEqual(0.25);
  });

  it('when two runners resume the same job and both complete it, then only the one that wrote the final status counts it', async () => {
    const first = service(fakeSouthbound({ heal: 'hang' }));
    const inst = await first.instantiate(CALLER, INSTANTIATE);
    inst.launch();
    await untilFinal(store, inst.jobId);
    const heal = await first.heal(CALLER, inst.vnfInstanceId, { action: 'vmReset', affectedvm: { vmid: 'vm-1' } });
    heal.launch();
    await first.stop(1000);

    const a = fakeSouthbound();
    const b = fakeSouthbound();
    await service(a).resumeUnfinished();
    await service(b).resumeUnfinished();
    expect(await untilFinal(store, heal.jobId)).toBe('finished');
    await sleep(30);

    expect(a.calls).toEqual(['heal']);
    expect(b.calls).toEqual(['heal']);
    expect(await value(metrics.jobsFinished, { operation: 'heal' })).toBe(1);
    expect(await durationCount(metrics, 'heal')).toBe(1);
  });

  it('when the metrics throw, then the job still finishes', async () => {
    const broken = () => {
      throw new Error('metrics down');
    };
    const throwing: JobMetrics = {
      jobsStarted: { inc: broken },
      jobsFinished: { inc: broken },
      jobsFailed: { inc: broken },
      jobDuration: { observe: broken },
    };
    const svc = service(fakeSouthbound(), { metrics: throwing });
    const inst = await svc.instantiate(CALLER, INSTANTIATE);
    inst.launch();
    expect(await untilFinal(store, inst.jobId)).toBe('finished');
  });
});
