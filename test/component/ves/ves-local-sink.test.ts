import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startService, type RunningService } from '../../../src/main';
import type { VesFault } from '../../../src/ves/ves-port';
import { localVesSink } from '../../../src/wiring/ves-setup';
import { ResponseValidator } from '../../support/http-openapi';
import { at, getJson, postJson, waitFor } from '../../support/http-service';

/** One listed event, as these tests read it. */
interface ListedEvent {
  sourceName: string;
  eventName: string;
  event: { faultFields: { eventSeverity: string } };
}

async function listed(url: string): Promise<ListedEvent[]> {
  return at((await getJson(url)).body, 'events') as ListedEvent[];
}
import { recordingLog, type Logged } from '../../support/recording-log';

const fault: VesFault = {
  kind: 'fault',
  sourceName: 'vFW_ns_1-vm-1',
  eventSourceType: 'virtualMachine',
  vnfInstanceId: 'vnf-1',
  vnfType: 'vFW',
  alarmCondition: 'vmDown',
  specificProblem: 'VM_RECOVERY_COMPLETE FAILURE',
  severity: 'CRITICAL',
  vfStatus: 'Active',
  eventTimeMs: Date.now(),
  details: { escDeployment: 'dep-1' },
};

describe('the local VES sink of standalone mode', () => {
  let dir: string;
  let svc: RunningService;
  let sinkUrl: string;
  let listUrl: string;
  const lines: Logged[] = [];
  const validator = new ResponseValidator();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ves-sink-'));
    svc = await startService({
      config: { port: 0, host: '127.0.0.1', storePath: path.join(dir, 'driver.db'), shutdownTimeoutMs: 2000 },
      ves: localVesSink({ idlePollMs: 200 }),
      log: recordingLog(lines),
    });
    sinkUrl = String(lines.find((l) => l.meta?.vesSink)?.meta?.vesSink);
    listUrl = `${svc.url}/api/ciscovnfmdriver/v1/standalone/ves-events`;
  });
  afterAll(async () => {
    await svc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when the driver publishes events, then the sink accepts them and the listing shows them in order, as documented', async () => {
    expect(sinkUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await svc.ves!.publish(fault);
    await svc.ves!.publish({ ...fault, severity: 'NORMAL' });
    await svc.ves!.publish({ ...fault, sourceName: 'other-vm' });
    await waitFor(async () => (await listed(listUrl)).length === 3, 10_000);
    const all = await getJson(listUrl);
    expect(validator.problems('GET', listUrl, all.status, all.body)).toEqual([]);
    const events = await listed(`${listUrl}?sourceName=vFW_ns_1-vm-1`);
    expect(events.map((e) => [e.sourceName, e.eventName, e.event.faultFields.eventSeverity])).toEqual([
      ['vFW_ns_1-vm-1', 'Fault_vFW_vmDown', 'CRITICAL'],
      ['vFW_ns_1-vm-1', 'Fault_vFW_vmDown', 'NORMAL'],
    ]);
  });

  it('when an invalid event is posted to the sink, then it answers 400 naming the field and keeps nothing', async () => {
    const before = (await listed(listUrl)).length;
    const res = await postJson(`${sinkUrl}/eventListener/v7/eventBatch`, { eventList: [{ commonEventHeader: { domain: 'fault' } }] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('eventList[0].commonEventHeader.eventId');
    expect((await listed(listUrl)).length).toBe(before);
  });

  it('when the listing is asked with a bad sourceName, then it answers 400 naming it', async () => {
    const res = await getJson(`${listUrl}?sourceName=a&sourceName=b`);
    expect(res.status).toBe(400);
    expect(validator.problems('GET', listUrl, res.status, res.body)).toEqual([]);
    expect(JSON.stringify(res.body)).toContain('sourceName');
  });
});
