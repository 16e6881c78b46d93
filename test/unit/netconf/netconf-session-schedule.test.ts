import type { NetconfError } from '../../../src/netconf/errors';
import { encodeFrame } from '../../../src/netconf/framing';
import { NOTIFICATION_NS } from '../../../src/netconf/namespaces';
import {
  INBOX_PAUSE_BYTES,
  INBOX_RESUME_BYTES,
  MESSAGE_BATCH_MS,
  NetconfSession,
  type NetconfSessionOptions,
} from '../../../src/netconf/netconf-session';
import type { NetconfNotification } from '../../../src/netconf/reply-parser';
import { textOf, type XmlElement } from '../../../src/xml';
import { FakeNetconfPeer, messageIdOf } from './fake-netconf-peer';
import { track } from '../../support/waiting';

/** A scheduler that only queues its tasks; the test runs them. */
class ManualScheduler {
  readonly tasks: Array<() => void> = [];
  /** Tasks handed over so far, run or not. */
  scheduled = 0;
  readonly schedule = (task: () => void): void => {
    this.scheduled++;
    this.tasks.push(task);
  };

  /** Runs the oldest queued task; false when none is queued. */
  runOne(): boolean {
    const task = this.tasks.shift();
    if (!task) return false;
    task();
    return true;
  }

  /** Runs queued tasks, including those they queue, until none is left; returns how many ran. */
  runAll(): number {
    let ran = 0;
    while (this.runOne()) ran++;
    return ran;
  }
}

async function openSession(opts: NetconfSessionOptions = {}): Promise<{ peer: FakeNetconfPeer; session: NetconfSession }> {
  const peer = new FakeNetconfPeer();
  const opening = NetconfSession.open(peer, { helloTimeoutMs: 1000, rpcTimeoutMs: 5000, ...opts });
  peer.hello();
  return { peer, session: await opening };
}

function notification(i: number): string {
  return (
    `<notification xmlns="${NOTIFICATION_NS}"><eventTime>2015-04-28T23:38:04.${String(i).padStart(3, '0')}+00:00</eventTime>` +
    `<ev xmlns="urn:test"><i>${i}</i></ev></notification>`
  );
}

/** Several messages handed to the session in one read. */
function deliverTogether(peer: FakeNetconfPeer, messages: string[]): void {
  peer.deliver(Buffer.concat(messages.map((m) => encodeFrame(m, peer.framing))));
}

/** Lets pending promise callbacks and I/O run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Holds the thread for `ms`, as slow message handling would. */
function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spinning on purpose
  }
}

describe('NetconfSession with a scheduler for received messages', () => {
  const sessions: NetconfSession[] = [];
  const open = async (opts: NetconfSessionOptions = {}) => {
    const opened = await openSession(opts);
    sessions.push(opened.session);
    return opened;
  };
  afterEach(() => {
    for (const s of sessions.splice(0)) s.destroy();
  });

  it('when a scheduler is given, then the server hello is still handled at once and opens the session', async () => {
    const scheduler = new ManualScheduler();
    const { session } = await open({ schedule: scheduler.schedule });
    expect(session.sessionId).toBe('7');
    expect(scheduler.scheduled).toBe(0);
  });

  it('when replies and notifications come in one read, then nothing is handled before the scheduled task runs', async () => {
    const scheduler = new ManualScheduler();
    const { peer, session } = await open({ schedule: scheduler.schedule });
    const events: string[] = [];
    session.on('notification', (n: NetconfNotification) => events.push(textOf(n.body, 'i')!));
    const first = track(session.rpc('<echo xmlns="urn:test"><n>a</n></echo>'));
    const second = track(session.rpc('<echo xmlns="urn:test"><n>b</n></echo>'));
    await peer.waitForRpcs(2);
    const [rpcA, rpcB] = peer.rpcs();

    deliverTogether(peer, [
      notification(0),
      FakeNetconfPeer.reply(messageIdOf(rpcA), '<n xmlns="urn:test">a</n>'),
      notification(1),
      FakeNetconfPeer.reply(messageIdOf(rpcB), '<n xmlns="urn:test">b</n>'),
      notification(2),
    ]);
    await settle();
    await settle();

    expect(scheduler.tasks).toHaveLength(1);
    expect(events).toEqual([]);
    expect(first.state).toBe('pending');
    expect(second.state).toBe('pending');
  });

  it('when the queued task runs, then replies resolve their rpcs and notifications are emitted in arrival order', async () => {
    const scheduler = new ManualScheduler();
    const { peer, session } = await open({ schedule: scheduler.schedule });
    const events: string[] = [];
    session.on('notification', (n: NetconfNotification) => events.push(textOf(n.body, 'i')!));
    const iter = session.notifications();
    const resolvedOrder: string[] = [];
    const calls = ['a', 'b', 'c'].map((n) =>
      session.rpc(`<echo xmlns="urn:test"><n>${n}</n></echo>`).then((reply) => {
        resolvedOrder.push(textOf(reply, 'n')!);
        return reply;
      }),
    );
    await peer.waitForRpcs(3);
    const ids = peer.rpcs().map(messageIdOf);

    deliverTogether(peer, [
      FakeNetconfPeer.reply(ids[1], '<n xmlns="urn:test">b</n>'),
      notification(0),
      notification(1),
      FakeNetconfPeer.reply(ids[0], '<n xmlns="urn:test">a</n>'),
      notification(2),
      FakeNetconfPeer.reply(ids[2], '<n xmlns="urn:test">c</n>'),
    ]);
    expect(events).toEqual([]);
    expect(scheduler.runAll()).toBeGreaterThanOrEqual(1);

    expect(events).toEqual(['0', '1', '2']);
    const replies: XmlElement[] = await Promise.all(calls);
    expect(replies.map((r) => textOf(r, 'n'))).toEqual(['a', 'b', 'c']);
    // Replies were handled in arrival order: b's reply came first, then a's, then c's.
    expect(resolvedOrder).toEqual(['b', 'a', 'c']);

    session.destroy();
    const seen: string[] = [];
    for await (const n of iter) seen.push(textOf(n.body, 'i')!);
    expect(seen).toEqual(['0', '1', '2']);
  });

  it('when more reads arrive while a task is already queued, then no second task is queued and all are handled in order', async () => {
    const scheduler = new ManualScheduler();
    const { peer, session } = await open({ schedule: scheduler.schedule });
    const events: string[] = [];
    session.on('notification', (n: NetconfNotification) => events.push(textOf(n.body, 'i')!));

    deliverTogether(peer, [notification(0), notification(1)]);
    peer.send(notification(2));
    deliverTogether(peer, [notification(3), notification(4)]);
    expect(scheduler.tasks).toHaveLength(1);
    expect(events).toEqual([]);

    scheduler.runAll();
    expect(events).toEqual(['0', '1', '2', '3', '4']);

    peer.send(notification(5));
    expect(scheduler.tasks).toHaveLength(1);
    expect(events).toHaveLength(5);
    scheduler.runAll();
    expect(events).toEqual(['0', '1', '2', '3', '4', '5']);
  });

  it('when the stream ends after queued messages, then a reply received before the end resolves its rpc and close comes after', async () => {
    const scheduler = new ManualScheduler();
    const { peer, session } = await open({ schedule: scheduler.schedule });
    const log: string[] = [];
    session.on('notification', (n: NetconfNotification) => log.push(`notification ${textOf(n.body, 'i')!}`));
    let closeErr: NetconfError | undefined;
    session.on('close', (err?: NetconfError) => {
      closeErr = err;
      log.push('close');
    });
    const answered = track(session.rpc('<echo xmlns="urn:test"><n>a</n></echo>'));
    const unanswered = track(session.rpc('<echo xmlns="urn:test"><n>b</n></echo>'));
    await peer.waitForRpcs(2);

    deliverTogether(peer, [FakeNetconfPeer.reply(messageIdOf(peer.rpcs()[0]), '<n xmlns="urn:test">a</n>'), notification(0)]);
    peer.drop();
    await settle();
    expect(log).toEqual([]);
    expect(answered.state).toBe('pending');
    expect(unanswered.state).toBe('pending');

    scheduler.runAll();
    await settle();

    expect(answered.state).toBe('resolved');
    expect(textOf(answered.value as XmlElement, 'n')).toBe('a');
    expect(unanswered.state).toBe('rejected');
    expect((unanswered.error as NetconfError).code).toBe('TRANSPORT');
    expect(log).toEqual(['notification 0', 'close']);
    expect(closeErr?.code).toBe('TRANSPORT');
    await expect(session.get()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('when the stream ends while a task is still busy with earlier messages, then close waits for the task that follows them', async () => {
    const scheduler = new ManualScheduler();
    const { peer, session } = await open({ schedule: scheduler.schedule });
    let closed = false;
    session.on('close', () => (closed = true));
    // The notification's handling outlasts the task's time budget, so the task stops right after it.
    session.on('notification', () => busyFor(MESSAGE_BATCH_MS * 3));
    const answered = track(session.rpc('<get/>'));
    await peer.waitForRpcs(1);

    deliverTogether(peer, [FakeNetconfPeer.reply(messageIdOf(peer.rpcs()[0]), '<ok/>'), notification(0)]);
    peer.drop();

    expect(scheduler.runOne()).toBe(true);
    await settle();
    expect(answered.state).toBe('resolved');
    expect(closed).toBe(false);
    expect(scheduler.tasks).toHaveLength(1);

    scheduler.runAll();
    expect(closed).toBe(true);
  });

  it('when the stream ends with nothing queued, then the session closes at once without a task', async () => {
    const scheduler = new ManualScheduler();
    const { peer, session } = await open({ schedule: scheduler.schedule });
    const closing = new Promise<NetconfError | undefined>((resolve) => session.on('close', resolve));
    const pending = track(session.get());
    await peer.waitForRpcs(1);

    peer.drop();
    expect(scheduler.scheduled).toBe(0);
    expect((await closing)?.code).toBe('TRANSPORT');
    await settle();
    expect(pending.state).toBe('rejected');
  });

  it('when the session is destroyed with messages still queued, then they are not handled and pending rpcs fail as closed', async () => {
    const scheduler = new ManualScheduler();
    const { peer, session } = await open({ schedule: scheduler.schedule });
    const events: NetconfNotification[] = [];
    session.on('notification', (n: NetconfNotification) => events.push(n));
    const call = track(session.get());
    await peer.waitForRpcs(1);

    deliverTogether(peer, [notification(0), FakeNetconfPeer.reply(messageIdOf(peer.rpcs()[0]), '<data/>')]);
    session.destroy();
    scheduler.runAll();
    await settle();

    expect(events).toEqual([]);
    expect(call.state).toBe('rejected');
    expect((call.error as NetconfError).code).toBe('CLOSED');
  });

  it('when bytes that break the framing follow a reply in the same read, then the reply still resolves its rpc', async () => {
    const scheduler = new ManualScheduler();
    const { peer, session } = await open({ schedule: scheduler.schedule });
    const call = track(session.get());
    await peer.waitForRpcs(1);

    peer.deliver(
      Buffer.concat([encodeFrame(FakeNetconfPeer.reply(messageIdOf(peer.rpcs()[0]), '<data/>'), peer.framing), Buffer.from('\n#abc\n')]),
    );
    scheduler.runAll();
    await settle();

    expect(call.state).toBe('resolved');
  });

  it('when handling queued messages outlasts MESSAGE_BATCH_MS, then the task stops and hands the rest to a new task, keeping the order', async () => {
    const scheduler = new ManualScheduler();
    const { peer, session } = await open({ schedule: scheduler.schedule });
    const perMessageMs = 0.3;
    const events: number[] = [];
    session.on('notification', (n: NetconfNotification) => {
      busyFor(perMessageMs);
      events.push(Number(textOf(n.body, 'i')));
    });
    const count = 30;
    deliverTogether(
      peer,
      Array.from({ length: count }, (_, i) => notification(i)),
    );
    expect(scheduler.tasks).toHaveLength(1);

    const handledPerTask: number[] = [];
    const msPerTask: number[] = [];
    while (scheduler.tasks.length > 0) {
      const before = events.length;
      const startedAt = performance.now();
      scheduler.runOne();
      msPerTask.push(performance.now() - startedAt);
      handledPerTask.push(events.length - before);
      // A task queues at most one follow-up.
      expect(scheduler.tasks.length).toBeLessThanOrEqual(1);
    }

    expect(events).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(handledPerTask.length).toBeGreaterThan(1);
    expect(scheduler.scheduled).toBe(handledPerTask.length);
    // Every task handles at least one message, and stops as soon as it has spent MESSAGE_BATCH_MS.
    for (const n of handledPerTask) expect(n).toBeGreaterThanOrEqual(1);
    for (const n of handledPerTask) expect(n).toBeLessThanOrEqual(Math.ceil(MESSAGE_BATCH_MS / perMessageMs));
    for (const ms of msPerTask.slice(0, -1)) expect(ms).toBeGreaterThanOrEqual(MESSAGE_BATCH_MS);
  });

  it('when a large burst of notifications comes in one read, then it is handled over several tasks, in order', async () => {
    const scheduler = new ManualScheduler();
    const { peer, session } = await open({ schedule: scheduler.schedule });
    const events: number[] = [];
    session.on('notification', (n: NetconfNotification) => events.push(Number(textOf(n.body, 'i'))));
    const count = 3000;
    deliverTogether(
      peer,
      Array.from({ length: count }, (_, i) => notification(i)),
    );

    expect(scheduler.runOne()).toBe(true);
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(count);
    expect(scheduler.tasks).toHaveLength(1);

    const more = scheduler.runAll();
    expect(events).toEqual(Array.from({ length: count }, (_, i) => i));
    // More than one message per task: tasks are batches, not one per message.
    expect(1 + more).toBeLessThan(count);
    expect(scheduler.scheduled).toBe(1 + more);
  });

  it('when a scheduler queues tasks for later, then rpcs still get their replies once the tasks run', async () => {
    const { peer, session } = await open({ schedule: (task) => setImmediate(task) });
    peer.autoReply = true;
    const replies = await Promise.all(Array.from({ length: 20 }, () => session.rpc('<get/>')));
    expect(replies).toHaveLength(20);
    for (const r of replies) expect(r.name).toBe('rpc-reply');
  });

  it('when more than INBOX_PAUSE_BYTES wait undecoded, then the transport is paused, and resumed once the backlog is down to INBOX_RESUME_BYTES', async () => {
    const scheduler = new ManualScheduler();
    const { peer, session } = await open({ schedule: scheduler.schedule });
    let seen = 0;
    session.on('notification', () => seen++);
    const padding = 'x'.repeat(16 * 1024);
    const big = (i: number): string =>
      `<notification xmlns="${NOTIFICATION_NS}"><eventTime>2015-04-28T23:38:04Z</eventTime><ev xmlns="urn:test"><i>${i}</i><p>${padding}</p></ev></notification>`;
    const count = Math.ceil(INBOX_PAUSE_BYTES / padding.length) + 8;
    // One read per message, as a network delivers them: the session only keeps the bytes until its task runs.
    for (let i = 0; i < count; i++) peer.send(big(i));
    expect(seen).toBe(0);
    expect(peer.flow).toEqual(['pause']);
    expect(scheduler.tasks).toHaveLength(1);

    let resumedAfter: number | undefined;
    while (scheduler.runOne()) if (resumedAfter === undefined && peer.flow.length > 1) resumedAfter = seen;
    expect(seen).toBe(count);
    expect(peer.flow).toEqual(['pause', 'resume']);
    // Resumed only once what still waited was at most INBOX_RESUME_BYTES.
    expect((count - resumedAfter!) * padding.length).toBeLessThanOrEqual(INBOX_RESUME_BYTES + 2 * padding.length);
  });
});

describe('NetconfSession without a scheduler', () => {
  it('when replies and notifications come in one read, then they are handled at once, in that read', async () => {
    const { peer, session } = await openSession();
    const events: string[] = [];
    session.on('notification', (n: NetconfNotification) => events.push(textOf(n.body, 'i')!));
    const call = track(session.rpc('<echo xmlns="urn:test"><n>a</n></echo>'));
    await peer.waitForRpcs(1);

    deliverTogether(peer, [
      notification(0),
      FakeNetconfPeer.reply(messageIdOf(peer.rpcs()[0]), '<n xmlns="urn:test">a</n>'),
      notification(1),
    ]);
    expect(events).toEqual(['0', '1']);
    await settle();
    expect(call.state).toBe('resolved');
    expect(textOf(call.value as XmlElement, 'n')).toBe('a');
    session.destroy();
  });

  it('when bytes that break the framing follow a reply in the same read, then the reply resolves and the session fails with a framing error', async () => {
    const { peer, session } = await openSession();
    const closing = new Promise<NetconfError | undefined>((resolve) => session.on('close', resolve));
    const call = track(session.get());
    await peer.waitForRpcs(1);

    peer.deliver(
      Buffer.concat([encodeFrame(FakeNetconfPeer.reply(messageIdOf(peer.rpcs()[0]), '<data/>'), peer.framing), Buffer.from('\n#abc\n')]),
    );
    await settle();

    expect(call.state).toBe('resolved');
    expect((await closing)?.code).toBe('FRAMING');
  });

  it('when the stream ends right after a reply, then the reply resolves its rpc and close is emitted in the same read', async () => {
    const { peer, session } = await openSession();
    let closed = false;
    session.on('close', () => (closed = true));
    const call = track(session.get());
    await peer.waitForRpcs(1);

    peer.send(FakeNetconfPeer.reply(messageIdOf(peer.rpcs()[0]), '<data/>'));
    peer.drop();
    expect(closed).toBe(true);
    await settle();
    expect(call.state).toBe('resolved');
  });
});

describe('NetconfSession with a scheduler, when a listener throws', () => {
  it('when a notification listener throws inside a task, then the messages after it and the end of the stream are still handled', async () => {
    const scheduler = new ManualScheduler();
    const { peer, session } = await openSession({ schedule: scheduler.schedule });
    const seen: string[] = [];
    let closed = false;
    session.on('notification', (n: NetconfNotification) => {
      const i = textOf(n.body, 'i')!;
      seen.push(i);
      if (i === '0') throw new Error('listener failed');
    });
    session.on('close', () => (closed = true));

    deliverTogether(peer, [notification(0), notification(1), notification(2)]);
    peer.drop();
    expect(() => scheduler.runOne()).toThrow('listener failed');
    scheduler.runAll();

    expect(seen).toEqual(['0', '1', '2']);
    expect(closed).toBe(true);
  });
});
