import { DemoError } from '../../../src/standalone/demo/demo-errors';
import { loadDemoPlan } from '../../../src/standalone/demo/demo-plan';
import { runDemoWalk } from '../../../src/standalone/demo/demo-walk';
import { bufferOutput, DEMO_PLAN_FILE, demoAgainst } from '../../support/demo-run';
import { exposureProblems, sumOf } from '../../support/prometheus-text';
import { startStandaloneService, type StandaloneService } from './standalone-service';

describe('demo walk against a driver in standalone mode', () => {
  let running: StandaloneService;

  beforeAll(async () => {
    running = await startStandaloneService();
  });

  afterAll(async () => {
    await running.stop();
  });

  it('when the walk runs, then all five jobs finish and each has a START and a RESULT Notify in order', async () => {
    const out = bufferOutput();
    const result = await runDemoWalk({ ...demoAgainst(running.service), out });

    expect(result.jobs.map((j) => [j.step, j.status])).toEqual([
      ['instantiate', 'finished'],
      ['scale out', 'finished'],
      ['heal', 'finished'],
      ['scale in', 'finished'],
      ['terminate', 'finished'],
    ]);
    const sequence = result.notifications.map((n) => `${n.operation} ${n.status}`);
    expect(sequence).toEqual([
      'Instantiate START',
      'Instantiate RESULT',
      'Scaleout START',
      'Scaleout RESULT',
      'Heal START',
      'Heal RESULT',
      'Scalein START',
      'Scalein RESULT',
      'Terminate START',
      'Terminate RESULT',
    ]);
    const added = (i: number) => (result.notifications[i].body as { affectedVnfc: unknown[] }).affectedVnfc.length;
    expect(added(1)).toBe(3);
    expect(added(3)).toBe(1);
    expect(added(9)).toBe(3);
    expect(out.text()).toMatch(/\[instantiate\] +\d+% processing /);
    expect(out.text()).toMatch(/\[terminate\] 100% finished/);
    // demo.json asks for the second VIM of vims.json; the grant places the VNF there.
    expect(out.text()).toMatch(/^placed on VIM standalone_region2: \S+(, \S+){2}$/m);
    // One summary line per Notify, in the order sent; no JSON unless asked for.
    const summaries = out
      .text()
      .split('\n')
      .filter((l) => /^#\d+ /.test(l));
    expect(summaries.map((l) => l.split('  ')[0].replace(/^#\d+ /, ''))).toEqual(sequence);
    expect(summaries[1]).toMatch(/^#\d+ Instantiate RESULT {2}VNFC 3 \[\+3\] {2}VL \d+.* {2}CP \d+.* {2}job \S+$/);
    expect(summaries[3]).toMatch(/ VNFC 1 \[\+1\] /);
    expect(summaries[9]).toMatch(/ VNFC 3 \[-3\] /);
    expect(out.text()).not.toContain('"operation"');

    const res = await fetch(new URL('/metrics', running.service.url));
    const metrics = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(exposureProblems(metrics)).toEqual([]);
    expect(sumOf(metrics, 'http_requests_total', { method: 'POST', route: '/api/ciscovnfmdriver/v1/:vnfmid/vnfs', status: '201' })).toBe(1);
    expect(
      sumOf(metrics, 'http_requests_total', { route: '/api/ciscovnfmdriver/v1/:vnfmid/jobs/:jobId', status: '200' }),
    ).toBeGreaterThanOrEqual(5);
    expect(sumOf(metrics, 'vnfm_jobs_started_total')).toBe(5);
    expect(sumOf(metrics, 'vnfm_jobs_started_total', { operation: 'scale' })).toBe(2);
    expect(sumOf(metrics, 'vnfm_jobs_finished_total')).toBe(5);
    expect(sumOf(metrics, 'vnfm_jobs_failed_total')).toBe(0);
    expect(sumOf(metrics, 'vnfm_job_duration_seconds_count', { operation: 'instantiate' })).toBe(1);
    expect(sumOf(metrics, 'netconf_notifications_total', { type: 'VM_ALIVE' })).toBeGreaterThanOrEqual(4);
    expect(sumOf(metrics, 'netconf_rpc_duration_seconds_count')).toBeGreaterThanOrEqual(5);
    expect(sumOf(metrics, 'netconf_sessions_up')).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it("when the Notify JSON is asked for, then each summary line is followed by that Notify's JSON", async () => {
    const out = bufferOutput();
    const result = await runDemoWalk({ ...demoAgainst(running.service), out, notifyJson: true });

    const text = out.text();
    const listing = text.slice(text.indexOf('Notify messages the driver sent'));
    const blocks = listing.split(/\n(?=#\d+ )/).slice(1);
    expect(blocks).toHaveLength(result.notifications.length);
    blocks.forEach((block, i) => {
      const n = result.notifications[i];
      const [summary, ...json] = block.trimEnd().split('\n');
      expect(summary).toMatch(new RegExp(`^#${n.id} ${n.operation} ${n.status} `));
      expect(JSON.parse(json.join('\n'))).toEqual(n.body);
    });
  }, 90_000);

  it('when the driver is not listening, then the walk fails at connect naming the address', async () => {
    const plan = loadDemoPlan(DEMO_PLAN_FILE);
    const walk = runDemoWalk({
      driverUrl: 'http://127.0.0.1:9',
      vnfmType: 'ciscovnfmdriver',
      plan,
      out: bufferOutput(),
      httpTimeoutMs: 2000,
    });
    await expect(walk).rejects.toThrow(DemoError);
    await expect(walk).rejects.toThrow(/connect: driver unreachable at http:\/\/127\.0\.0\.1:9/);
  });

  it("when a job ends in error, then the walk stops with the job's description", async () => {
    const plan = { ...loadDemoPlan(DEMO_PLAN_FILE), vnfPackageId: 'no-such-package' };
    const walk = runDemoWalk({
      driverUrl: running.service.url,
      vnfmType: running.service.config.vnfmType,
      plan,
      out: bufferOutput(true),
      pollIntervalMs: 50,
      jobTimeoutMs: 30_000,
    });
    await expect(walk).rejects.toThrow(/instantiate: job .* ended in error: .*no-such-package/);
  }, 40_000);

  it('when the notifications listing gets an empty vnfInstanceId, then it answers 400 naming the field', async () => {
    const res = await fetch(new URL('/api/ciscovnfmdriver/v1/standalone/notifications?vnfInstanceId=', running.service.url));

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: expect.stringContaining('vnfInstanceId') as unknown,
      details: [{ field: 'vnfInstanceId', reason: expect.stringContaining('non-empty') as unknown }],
    });
  });
});
