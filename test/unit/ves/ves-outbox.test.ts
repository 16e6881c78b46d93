import { openDatabase, type Db } from '../../../src/store/database';
import { SqliteVesOutboxStore } from '../../../src/ves/sqlite-ves-outbox-store';
import { VesDeliveryError } from '../../../src/ves/ves-collector-client';
import type { VesEvent } from '../../../src/ves/ves-event-format';
import { VesEventInvalidError, VesOutbox, type VesPoster } from '../../../src/ves/ves-outbox';
import type { VesNotification } from '../../../src/ves/ves-port';
import { vesFault as fault } from '../../support/ves-faults';
import { waitFor } from '../../support/waiting';

/** A collector whose answer to each POST the test decides: undefined = accepted. */
class ScriptedPoster implements VesPoster {
  readonly posts: VesEvent[][] = [];
  answer: (events: readonly VesEvent[]) => Error | undefined = () => undefined;
  post(events: readonly VesEvent[]): Promise<void> {
    this.posts.push([...events]);
    const err = this.answer(events);
    return err ? Promise.reject(err) : Promise.resolve();
  }
  get delivered(): string[] {
    return this.posts
      .flat()
      .map((e) => `${e.commonEventHeader.sourceName}#${e.commonEventHeader.sequence}:${e.faultFields?.alarmCondition}`);
  }
}

const status = (code: number): VesDeliveryError => new VesDeliveryError(`VES collector answered HTTP ${code}`, 'http://c', code, undefined);

describe('the VES outbox', () => {
  let db: Db;
  let poster: ScriptedPoster;
  let outbox: VesOutbox | undefined;
  const counters = { sent: 0, dropped: 0, queued: -1, retries: [] as string[] };
  const metrics = {
    vesSent: { inc: (n = 1) => (counters.sent += n) },
    vesDropped: { inc: (n = 1) => (counters.dropped += n) },
    vesRetries: { inc: ({ status }: { status: string }, n = 1) => counters.retries.push(`${status}x${n}`) },
    vesQueued: { set: (n: number) => (counters.queued = n) },
  };
  const make = (): VesOutbox =>
    new VesOutbox({
      store: new SqliteVesOutboxStore(db),
      poster,
      reportingEntityName: 'ciscovnfmdriver',
      initialBackoffMs: 20,
      maxBackoffMs: 40,
      idlePollMs: 50,
      metrics,
    });

  beforeEach(() => {
    db = openDatabase(':memory:');
    poster = new ScriptedPoster();
    Object.assign(counters, { sent: 0, dropped: 0, queued: -1, retries: [] });
  });
  afterEach(async () => {
    await outbox?.stop();
    outbox = undefined;
    db.close();
  });

  it('when events of two sources are published, then heads go together in a batch and each source in order with rising sequences', async () => {
    outbox = make();
    await outbox.publish(fault('vm-a', 'a1'));
    await outbox.publish(fault('vm-a', 'a2'));
    await outbox.publish(fault('vm-b', 'b1'));
    expect(counters.queued).toBe(3);
    outbox.start();
    await waitFor(() => poster.delivered.length === 3);
    expect(poster.posts.map((p) => p.length)).toEqual([2, 1]);
    expect(poster.delivered).toEqual(['vm-a#1:a1', 'vm-b#1:b1', 'vm-a#2:a2']);
    await waitFor(() => counters.queued === 0);
    expect(counters.sent).toBe(3);
    expect(await outbox.counts()).toEqual({ pending: 0, delivered: 3, failed: 0 });
  });

  it('when the collector answers 503, then the events are sent again later, once accepted never again', async () => {
    let failures = 3;
    poster.answer = () => (failures-- > 0 ? status(503) : undefined);
    outbox = make();
    outbox.start();
    await outbox.publish(fault('vm-a', 'a1'));
    await outbox.publish(fault('vm-a', 'a2'));
    await waitFor(() => poster.posts.length >= 5, 3000);
    await new Promise((r) => setTimeout(r, 150));
    expect(poster.delivered.slice(-2)).toEqual(['vm-a#1:a1', 'vm-a#2:a2']);
    expect(poster.posts.length).toBe(5);
    const ids = poster.posts.flat().map((e) => e.commonEventHeader.eventId);
    expect(new Set(ids).size).toBe(2);
  });

  it('when the collector refuses an event (400), then it is dropped and the next event of its source goes', async () => {
    poster.answer = (events) => (events[0]?.faultFields?.alarmCondition === 'bad' ? status(400) : undefined);
    outbox = make();
    await outbox.publish(fault('vm-a', 'bad'));
    await outbox.publish(fault('vm-a', 'good'));
    outbox.start();
    await waitFor(() => poster.posts.length === 2);
    await waitFor(() => counters.sent === 1);
    expect(poster.delivered).toEqual(['vm-a#1:bad', 'vm-a#2:good']);
    expect(counters.dropped).toBe(1);
    expect(await outbox.counts()).toEqual({ pending: 0, delivered: 1, failed: 1 });
  });

  it('when a batch is refused, then each event is sent alone so that only the bad one is dropped', async () => {
    poster.answer = (events) => (events.some((e) => e.faultFields?.alarmCondition === 'bad') ? status(400) : undefined);
    outbox = make();
    await outbox.publish(fault('vm-a', 'bad'));
    await outbox.publish(fault('vm-b', 'good'));
    outbox.start();
    await waitFor(() => counters.sent === 1 && counters.dropped === 1);
    expect(poster.posts.map((p) => p.length)).toEqual([2, 1, 1]);
  });

  it('when 429, 401, 404 or a connection failure comes back, then the event is retried, not dropped, and each retry counted', async () => {
    const answers: (Error | undefined)[] = [
      status(429),
      status(401),
      status(404),
      new VesDeliveryError('connection failed: ECONNREFUSED', 'http://c', undefined, undefined),
    ];
    poster.answer = () => answers.shift();
    outbox = make();
    outbox.start();
    await outbox.publish(fault('vm-a', 'a1'));
    await waitFor(() => counters.sent === 1, 3000);
    expect(poster.posts).toHaveLength(5);
    expect(counters.dropped).toBe(0);
    expect(counters.retries).toEqual(['429x1', '401x1', '404x1', 'nonex1']);
  });

  it('when a new outbox opens the same store, then it delivers what the previous one left pending', async () => {
    poster.answer = () => status(503);
    outbox = make();
    outbox.start();
    await outbox.publish(fault('vm-a', 'a1'));
    await waitFor(() => poster.posts.length >= 1);
    await outbox.stop();
    poster.answer = () => undefined;
    outbox = make();
    outbox.start();
    await waitFor(() => counters.sent === 1, 3000);
    expect(poster.delivered.at(-1)).toBe('vm-a#1:a1');
  });

  it('when a decided event cannot be a valid VES event, then publish rejects naming the problem and nothing is stored', async () => {
    outbox = make();
    await expect(outbox.publish({ ...fault('', 'x') })).rejects.toThrow(VesEventInvalidError);
    await expect(outbox.publish({ ...fault('vm-a', 'x'), details: { n: 1 as unknown as string } })).rejects.toThrow(
      /alarmAdditionalInformation must be an object of strings/,
    );
    expect((await outbox.counts()).pending).toBe(0);
  });

  it('when faults are published, then only raises and clears that change the active alarms are sent; notifications always are', async () => {
    outbox = make();
    const severity = (e: VesEvent): string => `${e.commonEventHeader.sourceName}:${e.faultFields?.eventSeverity ?? 'notification'}`;
    const notification: VesNotification = {
      kind: 'notification',
      sourceName: 'vm-a',
      eventSourceType: 'virtualMachine',
      vnfInstanceId: 'vnf-1',
      vnfType: 'vFW',
      changeType: 'scaled',
      changeIdentifier: 'VM_ALIVE',
      eventTimeMs: 1_700_000_000_000,
      details: {},
    };
    await outbox.publish({ ...fault('vm-a', 'vmDown'), severity: 'NORMAL' }); // never raised: not sent
    await outbox.publish(fault('vm-a', 'vmDown'));
    await outbox.publish(fault('vm-a', 'vmDown')); // already MAJOR: not sent
    await outbox.publish({ ...fault('vm-a', 'vmDown'), severity: 'CRITICAL' });
    await outbox.publish(notification);
    await outbox.publish(notification);
    await outbox.publish({ ...fault('vm-a', 'vmDown'), severity: 'NORMAL' });
    await outbox.publish({ ...fault('vm-a', 'vmDown'), severity: 'NORMAL' }); // already cleared: not sent
    outbox.start();
    await waitFor(() => counters.sent === 5);
    expect(poster.posts.flat().map(severity)).toEqual([
      'vm-a:MAJOR',
      'vm-a:CRITICAL',
      'vm-a:notification',
      'vm-a:notification',
      'vm-a:NORMAL',
    ]);
    expect(poster.posts.flat().map((e) => e.commonEventHeader.sequence)).toEqual([1, 2, 3, 4, 5]);
  });
});
