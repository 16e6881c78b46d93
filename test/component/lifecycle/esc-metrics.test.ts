import { createMetrics, type Metrics } from '../../../src/metrics';
import { awaitNotify, buildFwLbInstantiate, runOperation, startEscRig, type EscRig } from './esc-service-harness';

interface Sample {
  value: number;
  labels: Record<string, unknown>;
  metricName?: string;
}
type Readable = { get(): Promise<{ values: Sample[] }> };

async function value(metric: Readable, labels: Record<string, string>, metricName?: string): Promise<number> {
  const { values } = await metric.get();
  return (
    values.find(
      (v) => (metricName === undefined || v.metricName === metricName) && Object.entries(labels).every(([k, want]) => v.labels[k] === want),
    )?.value ?? 0
  );
}

async function escLabels(metric: Readable): Promise<Set<unknown>> {
  return new Set((await metric.get()).values.map((v) => v.labels.esc));
}

describe('metrics of the service wired with the ESC driver', () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('when a VNF is instantiated (one Notify retried) and terminated, then job, NETCONF and retry series move, and sessions_up drops to 0 on stop', async () => {
    const metrics: Metrics = createMetrics({ collectDefaults: false });
    rig = await startEscRig({ metrics });
    const { base, stub, sim } = rig;
    const esc = `${sim.host}:${sim.port}`;
    stub.failNext(/\/Notify$/, 503, 1);

    const inst = await runOperation(base, '/vnfs', buildFwLbInstantiate());
    expect(inst.last.status).toBe('finished');
    await awaitNotify(stub, inst.jobId, 'RESULT', 10_000);
    const term = await runOperation(base, `/vnfs/${inst.vnfInstanceId}/terminate`, { terminationType: 'forceful' });
    expect(term.last.status).toBe('finished');

    for (const operation of ['instantiate', 'terminate']) {
      expect(await value(metrics.jobsStarted, { operation })).toBe(1);
      expect(await value(metrics.jobsFinished, { operation })).toBe(1);
      expect(await value(metrics.jobsFailed, { operation })).toBe(0);
      expect(await value(metrics.jobDuration, { operation }, 'vnfm_job_duration_seconds_count')).toBe(1);
    }

    expect(await value(metrics.netconfSessionsUp, { esc })).toBe(1);
    expect(
      await value(metrics.netconfRpcLatency, { esc, operation: 'editConfig' }, 'netconf_rpc_duration_seconds_count'),
    ).toBeGreaterThanOrEqual(2);
    expect(await value(metrics.netconfNotifications, { esc, type: 'VM_ALIVE' })).toBeGreaterThanOrEqual(3);
    expect(await value(metrics.netconfNotifications, { esc, type: 'SERVICE_ALIVE' })).toBe(1);
    for (const metric of [metrics.netconfSessionsUp, metrics.netconfRpcLatency, metrics.netconfNotifications]) {
      expect(await escLabels(metric)).toEqual(new Set([esc]));
    }
    expect((await metrics.notifyRetries.get()).values[0]?.value).toBeGreaterThanOrEqual(1);

    await rig.stop();
    rig = undefined;
    expect(await value(metrics.netconfSessionsUp, { esc })).toBe(0);
  });
});
