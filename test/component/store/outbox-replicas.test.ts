import { NotifyOutbox, type NotifySender, type OutboxMessage } from '../../../src/nslcm/notify-outbox';
import type { NotifyBody } from '../../../src/nslcm/nslcm-types';
import { PostgresDriverStore } from '../../../src/store/postgres/postgres-driver-store';
import { PostgresNotifyOutboxStore } from '../../../src/store/postgres/postgres-outbox-store';
import { outboxMessage } from '../../support/outbox-messages';
import { startPostgresCluster, type PostgresCluster } from '../../support/postgres-cluster';
import { waitFor } from '../../support/waiting';

function message(vnf: string, n: number, extra: Partial<OutboxMessage> = {}): OutboxMessage {
  return outboxMessage(vnf, `${vnf}-job-${n}`, 'RESULT', { vnfmId: 'm', ...extra });
}

/** NSLCM as the replicas reach it: records who sent what, answering after a few ms so that sends overlap. */
function nslcm(): {
  sent: Array<{ by: string; vnf: string; jobId: string }>;
  senderFor(replica: string): NotifySender;
  /** Sends that started while another of the same VNF was in flight. */
  overlaps: string[];
} {
  const sent: Array<{ by: string; vnf: string; jobId: string }> = [];
  const inFlight = new Map<string, number>();
  const overlaps: string[] = [];
  return {
    sent,
    overlaps,
    senderFor: (replica) => ({
      async notify(_vnfmId: string, vnf: string, body: NotifyBody): Promise<void> {
        inFlight.set(vnf, (inFlight.get(vnf) ?? 0) + 1);
        if (inFlight.get(vnf)! > 1) overlaps.push(`${vnf}: ${body.jobId!}`);
        await new Promise((resolve) => setTimeout(resolve, 2 + Math.floor(Math.random() * 8)));
        sent.push({ by: replica, vnf, jobId: body.jobId! });
        inFlight.set(vnf, inFlight.get(vnf)! - 1);
      },
    }),
  };
}

/** Two replicas' Notify outboxes on one PostgreSQL database, both delivering. */
describe('the Notify outbox shared by two replicas (PostgreSQL)', () => {
  let cluster: PostgresCluster;
  const closing: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    cluster = await startPostgresCluster();
  }, 60_000);
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
  });
  afterAll(() => cluster?.stop());

  async function replicaOutbox(url: string, replicaId: string, sender: NotifySender): Promise<NotifyOutbox> {
    const store = await PostgresDriverStore.open(url);
    const outboxStore = await PostgresNotifyOutboxStore.open(store.database, { replicaId });
    const outbox = new NotifyOutbox({ store: outboxStore, sender, idlePollMs: 20, concurrency: 3 });
    closing.push(() => outbox.stop().then(() => store.close()));
    return outbox;
  }

  it("when both replicas deliver, then each Notify reaches NSLCM once, each VNF's in the order queued, never two of one VNF at once", async () => {
    const url = await cluster.createDatabase('outbox_replicas');
    const peer = nslcm();
    const a = await replicaOutbox(url, 'replica-a', peer.senderFor('replica-a'));
    const b = await replicaOutbox(url, 'replica-b', peer.senderFor('replica-b'));
    const vnfs = ['v1', 'v2', 'v3', 'v4'];
    for (let n = 1; n <= 6; n++) for (const [i, vnf] of vnfs.entries()) await ((n + i) % 2 === 0 ? a : b).enqueue(message(vnf, n));

    a.start();
    b.start();
    await waitFor(async () => (await a.depth()) === 0, 20_000);

    expect(peer.overlaps).toEqual([]);
    expect(peer.sent).toHaveLength(24);
    for (const vnf of vnfs) {
      expect(peer.sent.filter((s) => s.vnf === vnf).map((s) => s.jobId)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `${vnf}-job-${n}`));
    }
    expect(new Set(peer.sent.map((s) => s.by))).toEqual(new Set(['replica-a', 'replica-b']));
  }, 30_000);

  it('when both replicas queue the same ESC change, then NSLCM gets one Notify', async () => {
    const url = await cluster.createDatabase('outbox_change');
    const peer = nslcm();
    const a = await replicaOutbox(url, 'replica-a', peer.senderFor('replica-a'));
    const b = await replicaOutbox(url, 'replica-b', peer.senderFor('replica-b'));
    const [fromA, fromB] = await Promise.all([
      a.enqueue(message('v1', 1, { changeId: 'esc-event:same' })),
      b.enqueue(message('v1', 2, { changeId: 'esc-event:same' })),
    ]);
    expect([fromA.inserted, fromB.inserted].sort()).toEqual([false, true]);
    a.start();
    b.start();
    await waitFor(async () => (await a.depth()) === 0, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(peer.sent).toHaveLength(1);
  }, 30_000);
});
