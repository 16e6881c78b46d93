import { PostgresStoreError, StoreUrlError } from '../../../src/store/postgres/postgres-errors';
import { PostgresDriverStore } from '../../../src/store/postgres/postgres-driver-store';
import { PostgresNotifyOutboxStore } from '../../../src/store/postgres/postgres-outbox-store';
import { POSTGRES_JOB_MIGRATIONS, POSTGRES_OUTBOX_MIGRATIONS } from '../../../src/store/postgres/postgres-schema';
import { freePort } from '../../support/free-port';
import { startPostgresCluster, type PostgresCluster } from '../../support/postgres-cluster';
import { recordingLog, type Logged } from '../../support/recording-log';

const vnf = {
  vnfInstanceId: 'vnf-1',
  vnfmId: 'm',
  vnfInstanceName: 'n',
  vnfdId: 'd',
  vnfPackageId: 'p',
  status: 'INSTANTIATING' as const,
  attributes: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const job = {
  jobId: 'j1',
  operation: 'instantiate' as const,
  vnfInstanceId: 'vnf-1',
  vnfmId: 'm',
  request: {},
  requestId: 'r',
  statusDescription: 'accepted',
};

/** The PostgreSQL store when its server goes away: typed errors that name the operation, and reconnection. */
describe('PostgreSQL store connections', () => {
  let cluster: PostgresCluster;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());

  it('when the server restarts, then the store goes on with new connections: reads and writes succeed again', async () => {
    const lines: Logged[] = [];
    const store = await PostgresDriverStore.open(await cluster.createDatabase('reconnect'), { log: recordingLog(lines) });
    try {
      await store.createJob(job, vnf);
      await store.ping();

      await cluster.restart();

      expect((await store.getJob('j1'))?.latest.responseId).toBe(1);
      await expect(
        store.appendEntry('j1', { status: 'processing', progress: 5, statusDescription: 'after restart' }),
      ).resolves.toMatchObject({
        responseId: 2,
      });
      await store.ping();
    } finally {
      await store.close();
    }
  }, 60_000);

  it('when replicas start together on an empty database, then each migration is applied once and every replica opens', async () => {
    const url = await cluster.createDatabase('together');
    const stores = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const store = await PostgresDriverStore.open(url);
        await PostgresNotifyOutboxStore.open(store.database, { replicaId: 'r' });
        return store;
      }),
    );
    try {
      const rows = await stores[0].database.query<{ component: string; version: number }>(
        'test',
        'SELECT component, version FROM schema_migrations ORDER BY component, version',
      );
      expect(rows.map((r) => `${r.component}:${r.version}`)).toEqual([
        ...POSTGRES_JOB_MIGRATIONS.map((_, i) => `jobs:${i + 1}`),
        ...POSTGRES_OUTBOX_MIGRATIONS.map((_, i) => `outbox:${i + 1}`),
      ]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }, 30_000);

  it('when nothing answers at the URL, then opening fails with a typed error naming the operation, and without the password', async () => {
    const port = await freePort();
    const err = await PostgresDriverStore.open(`postgres://u:Unguessable-pw-77@127.0.0.1:${port}/driver`, {
      connectTimeoutMs: 500,
      attempts: 2,
    }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(PostgresStoreError);
    expect(err).toMatchObject({ operation: 'migrate jobs', transient: true });
    expect((err as Error).message).toMatch(/store operation migrate jobs failed \(database unavailable\)/);
    expect((err as Error).message).not.toContain('Unguessable-pw-77');
  }, 20_000);

  it('when STORE_URL is not a postgres URL, then opening is refused before connecting, without repeating it', async () => {
    await expect(PostgresDriverStore.open('mysql://u:Unguessable-pw-77@127.0.0.1/db')).rejects.toThrow(StoreUrlError);
    await expect(PostgresDriverStore.open('postgres://u:Unguessable-pw-77@127.0.0.1:5432')).rejects.toThrow(/names no database/);
  });
});
