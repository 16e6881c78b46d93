import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleValue } from '../../support/prometheus-text';
import { startFakeVesCollector, type FakeVesCollector } from '../../support/fake-ves-collector';
import { startTestService, waitFor, type TestService } from '../../support/http-service';
import { recordingLog, type Logged } from '../../support/recording-log';
import { vesFault } from '../../support/ves-faults';
import type { VesFault, VesNotification } from '../../../src/ves/ves-port';

const USER = 'ves-user';
const PASSWORD = 'ves-Secret-42';

function fault(sourceName: string, alarmCondition: string): VesFault {
  return vesFault(sourceName, alarmCondition, {
    specificProblem: `${alarmCondition} on ${sourceName}`,
    severity: 'CRITICAL',
    eventTimeMs: Date.now(),
    details: { escDeployment: 'dep-1' },
  });
}

const scaled: VesNotification = {
  kind: 'notification',
  sourceName: 'vnf-1',
  eventSourceType: 'VNF',
  vnfInstanceId: 'vnf-1',
  vnfType: 'vFW',
  changeType: 'scaleOut',
  changeIdentifier: 'dep-1',
  eventTimeMs: Date.now(),
  details: {},
};

/** Source#sequence:alarm of what the collector accepted, for one source. */
function seen(collector: FakeVesCollector, sourceName: string): string[] {
  return collector.events
    .filter((e) => e.commonEventHeader.sourceName === sourceName)
    .map((e) => `${e.commonEventHeader.sequence}:${String(e.faultFields?.alarmCondition ?? e.notificationFields?.changeType)}`);
}

describe('VES events reach the collector', () => {
  let collector: FakeVesCollector;
  let svc: TestService;
  const lines: Logged[] = [];

  beforeEach(async () => {
    lines.length = 0;
    collector = await startFakeVesCollector({ user: USER, password: PASSWORD });
    svc = await startTestService(
      undefined,
      { vesUrl: collector.url, vesUser: USER, vesPassword: PASSWORD, vesRetryInitialMs: 200, vesRetryMaxMs: 2000 },
      recordingLog(lines),
    );
  });
  afterEach(async () => {
    await svc.stop();
    await collector.stop();
  });

  it('when events are published, then the collector gets them with basic auth, valid VES 7.2.1, in order per source', async () => {
    expect(svc.ves).toBeDefined();
    await svc.ves!.publish(fault('vm-1', 'vmDown'));
    await svc.ves!.publish(fault('vm-2', 'vmDown'));
    await svc.ves!.publish({ ...fault('vm-1', 'vmDown'), severity: 'NORMAL' });
    await svc.ves!.publish(scaled);
    await waitFor(() => collector.events.length === 4, 10_000, { what: 'the collector has 4 events' });
    expect(collector.requests.every((r) => r.status === 202)).toBe(true);
    expect(collector.refusals).toEqual([]);
    expect(seen(collector, 'vm-1')).toEqual(['1:vmDown', '2:vmDown']);
    expect(collector.events.find((e) => e.commonEventHeader.sourceName === 'vnf-1')?.commonEventHeader.eventName).toBe(
      'Notification_vFW_scaleOut',
    );
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(sampleValue(metrics, 'ves_events_sent_total')).toBe(4);
    await waitFor(async () => sampleValue(await (await fetch(`${svc.url}/metrics`)).text(), 'ves_outbox_depth') === 0);
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain(PASSWORD);
    expect(logged).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'));
  });

  it('when the collector answers 503 for 30 s, then every event is delivered afterwards, in order, once', async () => {
    collector.answerWith(503);
    const started = Date.now();
    for (let i = 1; i <= 4; i++) await svc.ves!.publish(fault('vm-1', `alarm${i}`));
    await svc.ves!.publish(fault('vm-2', 'alarm1'));
    await waitFor(() => collector.requests.filter((r) => r.status === 503).length >= 3, 10_000);
    await new Promise((r) => setTimeout(r, 30_000 - (Date.now() - started)));
    expect(collector.events).toEqual([]);
    collector.answerWith(undefined);
    await waitFor(() => collector.events.length === 5, 10_000, { what: 'the 5 events are delivered' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(seen(collector, 'vm-1')).toEqual(['1:alarm1', '2:alarm2', '3:alarm3', '4:alarm4']);
    expect(seen(collector, 'vm-2')).toEqual(['1:alarm1']);
    expect(new Set(collector.events.map((e) => e.commonEventHeader.eventId)).size).toBe(5);
    expect(lines.filter((l) => l.message === 'VES event not delivered; will retry').length).toBeGreaterThan(0);
  }, 60_000);

  it('when the collector refuses the credentials (401), then the event is kept with an error log, and delivered once they are put right', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ves-401-'));
    const storePath = join(dir, 'driver.db');
    await svc.stop();
    const wrong = { vesUrl: collector.url, vesUser: USER, vesPassword: 'wrong-password', vesRetryInitialMs: 200, vesRetryMaxMs: 400 };
    svc = await startTestService(undefined, { ...wrong, storePath }, recordingLog(lines));
    await svc.ves!.publish(fault('vm-1', 'vmDown'));
    await waitFor(() => collector.requests.filter((r) => r.status === 401).length >= 2, 10_000, { what: 'two refused attempts' });
    expect(lines.some((l) => l.level === 'error' && String(l.message).includes('check VES_URL, VES_USER, VES_PASSWORD'))).toBe(true);
    const metrics = async (): Promise<string> => (await fetch(`${svc.url}/metrics`)).text();
    await waitFor(async () => sampleValue(await metrics(), 'ves_outbox_depth') === 1, 5_000, { what: 'the event still queued' });
    expect(sampleValue(await metrics(), 'ves_events_dropped_total')).toBe(0);
    expect(collector.events).toEqual([]);

    await svc.stop();
    svc = await startTestService(undefined, { ...wrong, vesPassword: PASSWORD, storePath }, recordingLog(lines));
    await waitFor(() => collector.events.length === 1, 10_000, { what: 'the kept event delivered' });
    expect(seen(collector, 'vm-1')).toEqual(['1:vmDown']);
    rmSync(dir, { recursive: true, force: true });
  });
});
