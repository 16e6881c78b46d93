import { runClosedLoopDemo } from '../../../src/standalone/demo/demo-closed-loop';
import { localVesSink } from '../../../src/wiring/ves-setup';
import { bufferOutput, demoAgainst } from '../../support/demo-run';
import { startStandaloneService, type StandaloneService } from './standalone-service';

const API = '/api/ciscovnfmdriver/v1';

describe('closed-loop demo against a driver in standalone mode with its local VES sink', () => {
  let running: StandaloneService;

  beforeAll(async () => {
    running = await startStandaloneService(undefined, { ves: localVesSink({ idlePollMs: 100, stopTimeoutMs: 500 }) });
  });

  afterAll(async () => {
    await running.stop();
  });

  it('when the closed-loop plan runs, then the sink lists the fault and clear of an ESC-recovered VM, and of an ONAP-healed one', async () => {
    const out = bufferOutput();
    const result = await runClosedLoopDemo({ ...demoAgainst(running.service), out, eventTimeoutMs: 20_000 });

    expect(result.esc.faults.map((f) => `${f.severity} ${f.alarmCondition}`)).toEqual(['MAJOR vmDown', 'NORMAL vmDown']);
    expect(result.esc.faults[0].sourceName).toBe(result.esc.vm);
    expect(result.esc.recoveryNotify).toMatchObject({ operation: 'Heal', status: 'RESULT' });
    expect(result.onap.faults.map((f) => `${f.severity} ${f.alarmCondition}`)).toEqual(['MAJOR vmDown', 'NORMAL vmDown']);
    expect(result.onap.faults[0].specificProblem).toContain('not alive');
    expect(out.text()).toContain('VES fault received by the sink: MAJOR vmDown on');
    expect(out.text()).toContain("NSLCM told of ESC's recovery: ");
  }, 120_000);

  it('when the kill route is given a bad body or an unknown VM, then it answers 400 or 404 naming vm', async () => {
    const post = (body: unknown) =>
      fetch(`${running.service.url}${API}/standalone/esc-simulator/kill-vm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await post({ vm: '' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ details: [{ field: 'vm' }] });
    expect((await post({ vm: 'x', fail: 'yes' })).status).toBe(400);
    const unknown = await post({ vm: 'no-such-vm' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ details: [{ field: 'vm', reason: 'no deployment holds this VM' }] });
  });
});
