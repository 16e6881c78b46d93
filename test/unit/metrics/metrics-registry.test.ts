import { createMetrics } from '../../../src/metrics';

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.eE+-]+|[Nn][Aa][Nn]|[+-][Ii]nf)( -?\d+)?$/;
// Prometheus parses values with Go's ParseFloat, which accepts NaN in any case (prom-client writes "Nan").
const COMMENT = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Checks the Prometheus text format line by line; returns the problems found. */
function exposureProblems(text: string): string[] {
  const problems: string[] = [];
  const typed = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = COMMENT.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE' && !TYPES.has(comment[3])) problems.push(`bad type: ${line}`);
      if (comment[1] === 'TYPE') typed.set(comment[2], comment[3]);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) { problems.push(`not a sample: ${line}`); continue; }
    const family = sample[1].replace(/_(bucket|sum|count|total|created)$/, '');
    if (!typed.has(sample[1]) && !typed.has(family)) problems.push(`sample without TYPE: ${line}`);
  }
  return problems;
}

function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

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

    const text = await m.registry.metrics();

    expect(exposureProblems(text)).toEqual([]);
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
    expect(sampleValue(text, 'vnfm_jobs_failed_total{operation="heal"}')).toBe(1);
    expect(sampleValue(text, 'netconf_sessions_up{esc="esc-1"}')).toBe(1);
    expect(sampleValue(text, 'nslcm_notify_outbox_depth')).toBe(3);
    expect(sampleValue(text, 'msb_registered')).toBe(1);
    expect(sampleValue(text, 'vnfm_job_duration_seconds_bucket{le="60",operation="instantiate"}')).toBe(1);
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
