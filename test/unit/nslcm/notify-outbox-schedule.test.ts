import { SqliteNotifyOutboxStore } from '../../../src/nslcm/notify-outbox-store';
import { NotifyOutbox, type NotifyOutboxOptions, type NotifySender } from '../../../src/nslcm/notify-outbox';
import type { NotifyBody } from '../../../src/nslcm/nslcm-types';
import { openDatabase, type Db } from '../../../src/store/database';
import { GROUP_WINDOW_MS } from '../../../src/store/group-commit';
import { waitFor } from '../../support/waiting';
import { outboxMessage as message } from '../../support/outbox-messages';

/** A sender that acknowledges every Notify and records `vnf:jobId:status` of each. */
function recordingSender(): NotifySender & { sent: string[] } {
  const sender = {
    sent: [] as string[],
    async notify(_vnfmId: string, vnfInstanceId: string, body: NotifyBody): Promise<void> {
      sender.sent.push(`${vnfInstanceId}:${body.jobId}:${body.status}`);
    },
  };
  return sender;
}

/** A schedule that only queues its tasks; the test runs them. */
function manualTurns(): { schedule: (task: () => void) => void; tasks: Array<() => void>; handed: number; runAll(): Promise<number> } {
  const turns = {
    tasks: [] as Array<() => void>,
    handed: 0,
    schedule: (task: () => void): void => {
      turns.handed++;
      turns.tasks.push(task);
    },
    /** Runs the tasks handed so far, then lets the store reads of the passes they started settle. */
    async runAll(): Promise<number> {
      let ran = 0;
      for (let task = turns.tasks.shift(); task; task = turns.tasks.shift()) {
        task();
        ran++;
      }
      await new Promise((resolve) => setImmediate(resolve));
      return ran;
    },
  };
  return turns;
}

const until = (check: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<void> => waitFor(check, timeoutMs, { pollMs: 2 });

function aWhile(ms = 40): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('NotifyOutbox schedule', () => {
  let db: Db;
  let box: NotifyOutbox | undefined;

  const newOutbox = (sender: NotifySender, extra: Partial<NotifyOutboxOptions> = {}): NotifyOutbox => {
    box = new NotifyOutbox({
      store: new SqliteNotifyOutboxStore(db),
      sender,
      initialBackoffMs: 5,
      maxBackoffMs: 20,
      idlePollMs: 1_000,
      stopTimeoutMs: 200,
      ...extra,
    });
    return box;
  };

  beforeEach(() => {
    db = openDatabase(':memory:');
  });
  afterEach(async () => {
    await box?.stop();
    box = undefined;
    db.close();
  });

  it('when schedule is given, then a Notify is not sent until the pass handed to schedule runs', async () => {
    const sender = recordingSender();
    const turns = manualTurns();
    const outbox = newOutbox(sender, { schedule: turns.schedule });
    await outbox.enqueue(message('vnf-a', 'j1', 'START'));
    outbox.start();

    await until(() => turns.tasks.length === 1);
    await aWhile();
    expect(sender.sent).toEqual([]);
    expect((await outbox.find('j1', 'START'))?.state).toBe('pending');

    await turns.runAll();
    expect(sender.sent).toEqual(['vnf-a:j1:START']);
    await expect(outbox.waitForDelivery('j1', 'START', 2_000)).resolves.toMatchObject({ state: 'delivered' });
  });

  it('when a VNF has two Notifies, then the pass that sends the second also waits for its turn', async () => {
    const sender = recordingSender();
    const turns = manualTurns();
    const outbox = newOutbox(sender, { schedule: turns.schedule });
    await outbox.enqueue(message('vnf-a', 'j1', 'START'));
    await outbox.enqueue(message('vnf-a', 'j1', 'RESULT'));
    outbox.start();

    await until(() => turns.tasks.length === 1);
    await turns.runAll();
    await outbox.waitForDelivery('j1', 'START', 2_000);
    // The settled send wakes the loop: that pass is handed to schedule, not run.
    await until(() => turns.tasks.length === 1);
    await aWhile();
    expect(sender.sent).toEqual(['vnf-a:j1:START']);
    expect((await outbox.find('j1', 'RESULT'))?.state).toBe('pending');

    await turns.runAll();
    expect(sender.sent).toEqual(['vnf-a:j1:START', 'vnf-a:j1:RESULT']);
    await outbox.waitForDelivery('j1', 'RESULT', 2_000);
  });

  it('when a failed send is due again, then the retry pass also waits for its turn', async () => {
    let failures = 1;
    const sent: string[] = [];
    const sender: NotifySender = {
      async notify(_vnfm, vnf, body) {
        sent.push(`${vnf}:${body.jobId}:${body.status}`);
        if (failures-- > 0) throw new Error('connect ECONNREFUSED');
      },
    };
    const turns = manualTurns();
    const outbox = newOutbox(sender, { schedule: turns.schedule, initialBackoffMs: 10, maxBackoffMs: 10, random: () => 0 });
    await outbox.enqueue(message('vnf-a', 'j1', 'START'));
    outbox.start();

    await until(() => turns.tasks.length === 1);
    await turns.runAll();
    await until(async () => (await outbox.find('j1', 'START'))?.attempts === 1);
    // The retry is due 10 ms later; the pass that would send it waits for its turn meanwhile.
    await aWhile(60);
    expect(sent).toHaveLength(1);
    expect(turns.tasks).toHaveLength(1);

    await turns.runAll();
    expect(sent).toEqual(['vnf-a:j1:START', 'vnf-a:j1:START']);
    await expect(outbox.waitForDelivery('j1', 'START', 2_000)).resolves.toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('when the loop is idle, then its periodic pass is handed to schedule and finds rows written by others only when run', async () => {
    const sender = recordingSender();
    const turns = manualTurns();
    const outbox = newOutbox(sender, { schedule: turns.schedule, idlePollMs: 30 });
    outbox.start();
    await until(() => turns.tasks.length === 1);
    await turns.runAll();

    // Written by another outbox on the same database: this one is not kicked.
    const other = new NotifyOutbox({ store: new SqliteNotifyOutboxStore(db), sender: recordingSender() });
    await other.enqueue(message('vnf-b', 'j2', 'START'));

    await until(() => turns.tasks.length === 1);
    await aWhile();
    expect(sender.sent).toEqual([]);
    expect(turns.tasks).toHaveLength(1);

    await turns.runAll();
    expect(sender.sent).toEqual(['vnf-b:j2:START']);
    await outbox.waitForDelivery('j2', 'START', 2_000);
  });

  it('when the outbox is stopped while a pass waits for its turn, then that pass sends nothing', async () => {
    const sender = recordingSender();
    const turns = manualTurns();
    const outbox = newOutbox(sender, { schedule: turns.schedule });
    await outbox.enqueue(message('vnf-a', 'j1', 'START'));
    outbox.start();
    await until(() => turns.tasks.length === 1);

    await outbox.stop();
    await turns.runAll();
    await aWhile();
    expect(sender.sent).toEqual([]);
    expect(turns.tasks).toHaveLength(0);
    expect((await outbox.find('j1', 'START'))?.state).toBe('pending');
  });

  it('when many enqueues come before the pass runs, then they share one pass and all VNFs are served by it', async () => {
    const sender = recordingSender();
    const turns = manualTurns();
    const outbox = newOutbox(sender, { schedule: turns.schedule, concurrency: 4 });
    outbox.start();
    for (const vnf of ['vnf-a', 'vnf-b', 'vnf-c']) await outbox.enqueue(message(vnf, `j-${vnf}`, 'START'));

    await until(() => turns.tasks.length === 1);
    await aWhile();
    expect(turns.handed).toBe(1);
    expect(sender.sent).toEqual([]);

    await turns.runAll();
    expect([...sender.sent].sort()).toEqual(['vnf-a:j-vnf-a:START', 'vnf-b:j-vnf-b:START', 'vnf-c:j-vnf-c:START']);
  });

  it('when schedule is absent, then a Notify is delivered without it', async () => {
    const sender = recordingSender();
    const outbox = newOutbox(sender);
    await outbox.enqueue(message('vnf-a', 'j1', 'START'));
    await outbox.enqueue(message('vnf-a', 'j1', 'RESULT'));
    outbox.start();
    await outbox.waitForDelivery('j1', 'RESULT', 2_000);
    expect(sender.sent).toEqual(['vnf-a:j1:START', 'vnf-a:j1:RESULT']);
  });

  it('when schedule runs tasks on a later tick, then Notifies of several VNFs are all delivered in order per VNF', async () => {
    const sender = recordingSender();
    let handed = 0;
    const outbox = newOutbox(sender, {
      schedule: (task) => {
        handed++;
        setImmediate(task);
      },
    });
    for (const vnf of ['vnf-a', 'vnf-b']) {
      await outbox.enqueue(message(vnf, `j-${vnf}`, 'START'));
      await outbox.enqueue(message(vnf, `j-${vnf}`, 'RESULT'));
    }
    outbox.start();
    await outbox.waitForDelivery('j-vnf-a', 'RESULT', 2_000);
    await outbox.waitForDelivery('j-vnf-b', 'RESULT', 2_000);
    expect(sender.sent.filter((s) => s.startsWith('vnf-a'))).toEqual(['vnf-a:j-vnf-a:START', 'vnf-a:j-vnf-a:RESULT']);
    expect(sender.sent.filter((s) => s.startsWith('vnf-b'))).toEqual(['vnf-b:j-vnf-b:START', 'vnf-b:j-vnf-b:RESULT']);
    expect(handed).toBeGreaterThanOrEqual(2);
  });
});

describe('NotifyOutbox schedule and the loop timer', () => {
  let db: Db;
  let box: NotifyOutbox | undefined;

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'performance'] });
    db = openDatabase(':memory:');
  });
  afterEach(async () => {
    await box?.stop();
    box = undefined;
    jest.useRealTimers();
    db.close();
  });

  it('when nothing happens, then the idle loop makes one pass per idle period', async () => {
    const turns = manualTurns();
    box = new NotifyOutbox({
      store: new SqliteNotifyOutboxStore(db),
      sender: recordingSender(),
      idlePollMs: 1_000,
      schedule: turns.schedule,
    });
    box.start();
    jest.advanceTimersByTime(0);
    await turns.runAll();

    let passes = 0;
    for (let i = 0; i < 10; i++) {
      jest.advanceTimersByTime(1_000);
      passes += await turns.runAll();
    }
    expect(passes).toBe(10);
    expect(jest.getTimerCount()).toBe(1);
  });

  it('when a kick comes while a timed pass waits for its turn, then the loop still keeps a single timer', async () => {
    const sender = recordingSender();
    const turns = manualTurns();
    box = new NotifyOutbox({ store: new SqliteNotifyOutboxStore(db), sender, idlePollMs: 1_000, schedule: turns.schedule });
    box.start();
    jest.advanceTimersByTime(0);
    await turns.runAll();

    jest.advanceTimersByTime(1_000); // the idle pass fires and waits for its turn
    const enqueued = box.enqueue(message('vnf-a', 'j1', 'START')); // kick (once committed) while it waits
    jest.advanceTimersByTime(GROUP_WINDOW_MS);
    await enqueued;
    jest.advanceTimersByTime(0);
    await turns.runAll();
    // The send settles; its row's outcome is committed at the end of the store's window, which kicks the loop.
    jest.advanceTimersByTime(GROUP_WINDOW_MS);
    await new Promise((resolve) => setImmediate(resolve));
    jest.advanceTimersByTime(0);
    await turns.runAll();
    expect(sender.sent).toEqual(['vnf-a:j1:START']);

    let passes = 0;
    for (let i = 0; i < 10; i++) {
      jest.advanceTimersByTime(1_000);
      passes += await turns.runAll();
    }
    expect(jest.getTimerCount()).toBe(1);
    expect(passes).toBe(10);
  });
  /** A store that hands out no head and answers `nextDueAt` from `next`, counting the passes (one claim each). */
  const sharedStore = (next: () => number | undefined): { store: SqliteNotifyOutboxStore; claims: () => number } => {
    let claims = 0;
    const store = Object.assign(Object.create(new SqliteNotifyOutboxStore(db)) as SqliteNotifyOutboxStore, {
      dueHeads: async () => {
        claims++;
        return [];
      },
      nextDueAt: async () => next(),
    });
    return { store, claims: () => claims };
  };
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  /** Starts an outbox on a shared store (idle poll 1 s) and gives the claims counted after each advance of the clock. */
  const startOn = (next: () => number | undefined): ((ms: number) => Promise<number>) => {
    const shared = sharedStore(next);
    box = new NotifyOutbox({ store: shared.store, sender: recordingSender(), idlePollMs: 1_000, stopTimeoutMs: 200 });
    box.start();
    return async (ms) => {
      jest.advanceTimersByTime(ms);
      await settle();
      return shared.claims();
    };
  };

  it('when a head was already due but not claimable by the pass (another replica takes it), then the loop waits for the idle poll instead of racing for it', async () => {
    // What a replica sees of another's fresh row: due, yet not handed out to it.
    const claimsAfter = startOn(() => Date.now() - 1);
    expect(await claimsAfter(0)).toBe(1);
    expect(await claimsAfter(999)).toBe(1);
    expect(await claimsAfter(1)).toBe(2);
  });

  it('when a head falls due after the pass, then the loop looks again at that time, before the idle poll', async () => {
    const dueAt = Date.now() + 30;
    const claimsAfter = startOn(() => (Date.now() < dueAt ? dueAt : undefined));
    await claimsAfter(0);
    expect(await claimsAfter(29)).toBe(1);
    expect(await claimsAfter(1)).toBe(2);
  });
});
