import { createMetrics } from '../../../src/metrics';
import { exposureProblems, sampleValue } from '../../support/prometheus-text';

describe('createMetrics', () => {
  it('when every metric has moved, then the exposition parses as Prometheus text', async () => {
    const m = createMetrics();
    m.httpRequests.inc({ method: 'GET', route: '/a', status: '200' });
    m.httpDuration.observe({ method: 'GET', route: '/a' }, 0.02);
    m.jobsStarted.inc({ operation: 'instantiate' });
    m.jobsFinished.inc({ operation: 'instantiate' });
    m.jobsFailed.inc({ operation: 'heal' });
    m.jobDuration.observe({ operation: 'instantiate' }, 42);
    m.netconfSessionsUp.set({ esc: 'esc-1' }, 1);
    m.netconfRpcLatency.observe({ esc: 'esc-1', operation: 'editConfig' }, 0.3);
    m.netconfNotifications.inc({ esc: 'esc-1', type: 'VM_ALIVE' });
    m.notifyOutboxDepth.set(3);
    m.notifyRetries.inc();
    m.msbRegistered.set(1);
    m.escInitiatedFailures.inc({ type: 'VM_RECOVERY_COMPLETE' });
    m.inventoryChanges.inc({ operation: 'Heal' });

    const text = await m.registry.metrics();

    expect(exposureProblems(text)).toEqual([]);
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
    expect(sampleValue(text, 'vnfm_jobs_failed_total{operation="heal"}')).toBe(1);
    expect(sampleValue(text, 'netconf_sessions_up{esc="esc-1"}')).toBe(1);
    expect(sampleValue(text, 'nslcm_notify_outbox_depth')).toBe(3);
    expect(sampleValue(text, 'msb_registered')).toBe(1);
    expect(sampleValue(text, 'vnfm_esc_initiated_failures_total{type="VM_RECOVERY_COMPLETE"}')).toBe(1);
    expect(sampleValue(text, 'vnfm_inventory_changes_total{operation="Heal"}')).toBe(1);
    expect(sampleValue(text, 'vnfm_job_duration_seconds_bucket{le="60",operation="instantiate"}')).toBe(1);
  });

  it('when a replica is given, then every sample, process metrics included, carries it as the label replica', async () => {
    const m = createMetrics({ replica: 'esc-vnfm-driver-7d9f-x2k4q' });
    m.jobsStarted.inc({ operation: 'instantiate' });
    m.msbRegistered.set(1);

    const text = await m.registry.metrics();
    const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

    expect(exposureProblems(text)).toEqual([]);
    expect(samples.length).toBeGreaterThan(10);
    expect(samples.filter((line) => !line.includes('replica="esc-vnfm-driver-7d9f-x2k4q"'))).toEqual([]);
    expect(sampleValue(text, 'vnfm_jobs_started_total{operation="instantiate",replica="esc-vnfm-driver-7d9f-x2k4q"}')).toBe(1);
    expect(sampleValue(text, 'msb_registered{replica="esc-vnfm-driver-7d9f-x2k4q"}')).toBe(1);
  });

  it('when no replica is given, then samples carry no replica label', async () => {
    const m = createMetrics({ collectDefaults: false });
    m.msbRegistered.set(1);

    expect(await m.registry.metrics()).not.toContain('replica=');
  });

  it('when a counter is incremented twice, then its sample reads 2', async () => {
    const m = createMetrics({ collectDefaults: false });
    const before = await m.registry.metrics();
    m.notifyRetries.inc();
    m.notifyRetries.inc();

    expect(sampleValue(before, 'nslcm_notify_retries_total')).toBe(0);
    expect(sampleValue(await m.registry.metrics(), 'nslcm_notify_retries_total')).toBe(2);
  });

  it('when two registries are created, then they do not share values or collide on names', async () => {
    const a = createMetrics({ collectDefaults: false });
    const b = createMetrics({ collectDefaults: false });
    a.msbRegistered.set(1);

    expect(sampleValue(await b.registry.metrics(), 'msb_registered')).toBe(0);
  });

  it('when the parser check is fed a broken line, then it reports it', () => {
    expect(exposureProblems('# TYPE x counter\nx{a="1" 1\n')).toHaveLength(1);
  });
});
