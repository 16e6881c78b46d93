import { PostgresDriverStore } from '../../../src/store/postgres/postgres-driver-store';
import { PostgresVesOutboxStore } from '../../../src/store/postgres/postgres-ves-outbox-store';
import { VesCollectorClient } from '../../../src/ves/ves-collector-client';
import type { VesEvent } from '../../../src/ves/ves-event-format';
import { VesOutbox, type VesPoster } from '../../../src/ves/ves-outbox';
import type { VesFault } from '../../../src/ves/ves-port';
import { startTestService } from '../../support/http-service';
import { startFakeVesCollector, type FakeVesCollector } from '../../support/fake-ves-collector';
import { startPostgresCluster, type PostgresCluster } from '../../support/postgres-cluster';
import { vesFault } from '../../support/ves-faults';
import { waitFor } from '../../support/waiting';

const USER = 'ves-user';
const PASSWORD = 'ves-Secret-42';

function fault(sourceName: string, n: number): VesFault {
  return vesFault(sourceName, `alarm${n}`, { specificProblem: `alarm${n} on ${sourceName}`, eventTimeMs: Date.now() });
}

/**
 * The collector as one replica reaches it: each POST waits a few ms (so that the replicas' POSTs overlap), one in
 * five fails before reaching it (retried later), and a source with an event already on its way is noted.
 */
function replicaPoster(
  replica: string,
  client: VesCollectorClient,
  seen: { overlaps: string[]; inFlight: Map<string, number>; by: Set<string> },
): VesPoster {
  return {
    async post(events: readonly VesEvent[], signal?: AbortSignal): Promise<void> {
      const sources = events.map((e) => e.commonEventHeader.sourceName);
      for (const s of sources) {
        if (seen.inFlight.get(s)) seen.overlaps.push(`${s}#${events[0].commonEventHeader.sequence}`);
        seen.inFlight.set(s, (seen.inFlight.get(s) ?? 0) + 1);
      }
      try {
        await new Promise((resolve) => setTimeout(resolve, 2 + Math.floor(Math.random() * 8)));
        if (Math.random() < 0.2) throw new Error('connection reset');
        await client.post(events, signal);
        seen.by.add(replica);
      } finally {
        for (const s of sources) seen.inFlight.set(s, seen.inFlight.get(s)! - 1);
      }
    },
  };
}

/** Two replicas' VES outboxes on one PostgreSQL database, both delivering to one collector. */
describe('the VES outbox shared by two replicas (PostgreSQL)', () => {
  let cluster: PostgresCluster;
  let collector: FakeVesCollector;
  const closing: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    collector = await startFakeVesCollector({ user: USER, password: PASSWORD });
  }, 60_000);
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    await collector?.stop();
    await cluster?.stop();
  });

  async function replicaOutbox(url: string, replicaId: string, poster: VesPoster): Promise<VesOutbox> {
    const store = await PostgresDriverStore.open(url);
    const outboxStore = await PostgresVesOutboxStore.open(store.database, { replicaId });
    const outbox = new VesOutbox({
      store: outboxStore,
      poster,
      reportingEntityName: 'ciscovnfmdriver',
      batchSize: 3,
      initialBackoffMs: 10,
      maxBackoffMs: 50,
      idlePollMs: 20,
    });
    closing.push(() => outbox.stop().then(() => store.close()));
    return outbox;
  }

  it("when both replicas publish and deliver, then the collector gets every event once, each source's in sequence order", async () => {
    const url = await cluster.createDatabase('ves_replicas');
    const client = new VesCollectorClient({ baseUrl: collector.url, user: USER, password: PASSWORD, timeoutMs: 5_000 });
    const seen = { overlaps: [] as string[], inFlight: new Map<string, number>(), by: new Set<string>() };
    const a = await replicaOutbox(url, 'replica-a', replicaPoster('replica-a', client, seen));
    const b = await replicaOutbox(url, 'replica-b', replicaPoster('replica-b', client, seen));
    const sources = ['vm-1', 'vm-2', 'vm-3', 'vm-4', 'vm-5'];
    a.start();
    b.start();
    // Both replicas publish for every source at once, while both deliver.
    await Promise.all(sources.flatMap((s) => [1, 2, 3, 4, 5, 6, 7, 8].map((n) => (n % 2 ? a : b).publish(fault(s, n)))));
    await waitFor(async () => (await a.counts()).pending === 0, 20_000);

    expect(seen.overlaps).toEqual([]);
    expect(collector.events).toHaveLength(40);
    expect(new Set(collector.events.map((e) => e.commonEventHeader.eventId)).size).toBe(40);
    for (const s of sources) {
      const sequences = collector.events.filter((e) => e.commonEventHeader.sourceName === s).map((e) => e.commonEventHeader.sequence);
      expect(sequences).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
    expect(seen.by).toEqual(new Set(['replica-a', 'replica-b']));
    expect(await b.counts()).toEqual({ pending: 0, delivered: 40, failed: 0 });
  }, 30_000);

  it('when the service runs with STORE_URL and VES_URL, then its VES events are kept in PostgreSQL and delivered from there', async () => {
    const storeUrl = await cluster.createDatabase('ves_service');
    const svc = await startTestService(undefined, {
      storeUrl,
      replicaId: 'replica-1',
      vesUrl: collector.url,
      vesUser: USER,
      vesPassword: PASSWORD,
    });
    closing.push(() => svc.stop());
    const before = collector.events.length;
    await svc.ves!.publish(fault('vm-service', 1));
    await svc.ves!.publish(fault('vm-service', 2));
    await waitFor(() => collector.events.length === before + 2, 10_000);

    expect(collector.events.slice(before).map((e) => [e.commonEventHeader.sourceName, e.commonEventHeader.sequence])).toEqual([
      ['vm-service', 1],
      ['vm-service', 2],
    ]);
    const db = (svc.store as PostgresDriverStore).database;
    const rows = (): Promise<Array<{ sequence: number; state: string; claimed_by: string | null }>> =>
      db.query('test', 'SELECT sequence, state, claimed_by FROM ves_outbox ORDER BY sequence');
    // The outcome is recorded once the collector has answered; the claims are cleared with it.
    await waitFor(async () => (await rows()).every((r) => r.state === 'delivered'), 5_000);
    expect(await rows()).toEqual([
      { sequence: 1, state: 'delivered', claimed_by: null },
      { sequence: 2, state: 'delivered', claimed_by: null },
    ]);
  }, 30_000);
});
