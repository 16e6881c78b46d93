import type { Operation } from '../../../src/jobs/job-model';
import {
  FencedWriteError,
  OperationInProgressError,
  VnfNotFoundError,
  VnfNotOperableError,
  type DriverStore,
  type NewJob,
} from '../../../src/jobs/job-store';
import { SqliteDriverStore } from '../../../src/jobs/sqlite-store';
import { InvalidCursorError } from '../../../src/jobs/store-listing';
import type { NotifyOutboxStore } from '../../../src/nslcm/notify-outbox';
import { SqliteNotifyOutboxStore, type NewOutboxRow } from '../../../src/nslcm/notify-outbox-store';
import { PostgresDriverStore } from '../../../src/store/postgres/postgres-driver-store';
import { PostgresNotifyOutboxStore } from '../../../src/store/postgres/postgres-outbox-store';
import { PostgresVesOutboxStore } from '../../../src/store/postgres/postgres-ves-outbox-store';
import { SqliteVesOutboxStore } from '../../../src/ves/sqlite-ves-outbox-store';
import type { NewVesOutboxRow, VesOutboxStore } from '../../../src/ves/ves-outbox-store';
import type { VnfRecord } from '../../../src/vnfs/vnf-record';
import { reconcileLockFor } from '../../../src/wiring/store-setup';
import { startPostgresCluster, type PostgresCluster } from '../../support/postgres-cluster';

/** Two replicas' views of one store (the same object on SQLite, which serves one process) and their outboxes. */
interface Replicas {
  a: DriverStore;
  b: DriverStore;
  outboxA: NotifyOutboxStore;
  outboxB: NotifyOutboxStore;
  vesA: VesOutboxStore;
  vesB: VesOutboxStore;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  /** Whether `a` and `b` are separate connections that can race (PostgreSQL) or one store (SQLite). */
  shared: boolean;
  open(options?: { redact?: (text: string) => string }): Promise<Replicas>;
}

let cluster: PostgresCluster | undefined;
let databases = 0;

const sqlite: Backend = {
  name: 'SQLite',
  shared: false,
  open(options = {}) {
    const store = SqliteDriverStore.open(':memory:', options);
    const outbox = new SqliteNotifyOutboxStore(store.database);
    const ves = new SqliteVesOutboxStore(store.database);
    return Promise.resolve({ a: store, b: store, outboxA: outbox, outboxB: outbox, vesA: ves, vesB: ves, close: () => store.close() });
  },
};

const postgres: Backend = {
  name: 'PostgreSQL',
  shared: true,
  async open(options = {}) {
    cluster ??= await startPostgresCluster();
    const url = await cluster.createDatabase(`contract_${++databases}`);
    const a = await PostgresDriverStore.open(url, { ...options, statementTimeoutMs: 5_000 });
    const b = await PostgresDriverStore.open(url, { ...options, statementTimeoutMs: 5_000 });
    const outboxA = await PostgresNotifyOutboxStore.open(a.database, { replicaId: 'replica-a', claimMs: 60_000 });
    const outboxB = await PostgresNotifyOutboxStore.open(b.database, { replicaId: 'replica-b', claimMs: 60_000 });
    const vesA = await PostgresVesOutboxStore.open(a.database, { replicaId: 'replica-a', claimMs: 60_000 });
    const vesB = await PostgresVesOutboxStore.open(b.database, { replicaId: 'replica-b', claimMs: 60_000 });
    return { a, b, outboxA, outboxB, vesA, vesB, close: async () => void (await Promise.all([a.close(), b.close()])) };
  },
};

afterAll(() => cluster?.stop(), 30_000);

function buildVnf(overrides: Partial<VnfRecord> = {}): VnfRecord {
  return {
    vnfInstanceId: 'vnf-1',
    vnfmId: 'm',
    vnfInstanceName: 'n',
    vnfdId: 'd',
    vnfPackageId: 'p',
    status: 'INSTANTIATING',
    attributes: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const newJob = (jobId: string, overrides: Partial<NewJob> = {}): NewJob => ({
  jobId,
  operation: 'instantiate',
  vnfInstanceId: 'vnf-1',
  vnfmId: 'm',
  request: { a: 1 },
  requestId: 'r',
  statusDescription: 'accepted',
  ...overrides,
});

const outboxRow = (jobId: string, vnfInstanceId: string, extra: Partial<NewOutboxRow> = {}): NewOutboxRow => ({
  vnfmId: 'm',
  vnfInstanceId,
  jobId,
  status: 'RESULT',
  operation: 'Instantiate',
  body: JSON.stringify({ jobId }),
  ...extra,
});

let vesEvents = 0;
const vesRow = (sourceName: string): NewVesOutboxRow => {
  const eventId = `event-${++vesEvents}`;
  return { sourceName, eventId, body: JSON.stringify({ eventId }) };
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Tries to take a lock until it is had (released at once), for up to 5 s. */
async function waitUntilHeld(take: () => Promise<{ release(): Promise<void> } | undefined>): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const hold = await take();
    if (hold) return hold.release();
    await sleep(100);
  }
  throw new Error('lock still held after 5 s');
}

describe.each([sqlite, postgres])('store contract on $name', (backend) => {
  let r: Replicas;
  let store: DriverStore;

  beforeEach(async () => {
    r = await backend.open();
    store = r.a;
  }, 60_000);
  afterEach(() => r.close());

  describe('jobs', () => {
    it('when a job is created, then it starts at responseId 1 and each change gets the next one', async () => {
      const job = await store.createJob(newJob('j1'), buildVnf());
      expect(job).toMatchObject({ jobId: 'j1', latest: { status: 'started', progress: 0, responseId: 1 }, request: { a: 1 } });
      await store.appendEntry('j1', { status: 'processing', progress: 20, statusDescription: 'a' });
      const last = await store.appendEntry('j1', { status: 'processing', progress: 40, statusDescription: 'b' });
      expect(last).toMatchObject({ responseId: 3, status: 'processing', progress: 40, statusDescription: 'b', errorCode: null });
      expect((await store.history('j1')).map((e) => [e.responseId, e.progress])).toEqual([
        [1, 0],
        [2, 20],
        [3, 40],
      ]);
      expect((await store.getJob('j1'))?.latest).toMatchObject({ responseId: 3, progress: 40 });
      expect(await store.getJob('nope')).toBeUndefined();
    });

    it('when polled with N, then the latest comes first and only entries newer than N follow; another VNFM does not see it', async () => {
      await store.createJob(newJob('j1'), buildVnf());
      for (const p of [10, 20, 30]) await store.appendEntry('j1', { status: 'processing', progress: p, statusDescription: `${p}` });
      const listed = async (after: number): Promise<string[]> => {
        const d = JSON.parse((await store.jobDescriptorJson('j1', after, 'm'))!) as {
          responseDescriptor: { responseId: string; responseHistoryList: Array<{ responseId: string }> };
        };
        return [d.responseDescriptor.responseId, ...d.responseDescriptor.responseHistoryList.map((e) => e.responseId)];
      };
      expect(await listed(2)).toEqual(['4', '4', '3']);
      expect(await listed(4)).toEqual(['4']);
      expect(await store.jobDescriptorJson('j1', 0, 'other')).toBeUndefined();
      expect(await store.jobDescriptorJson('nope', 0)).toBeUndefined();
    });

    it('when a job is final, then it does not change any more', async () => {
      await store.createJob(newJob('j1'), buildVnf());
      await store.appendEntry('j1', { status: 'error', progress: 255, statusDescription: 'x', errorCode: 'E' });
      expect(await store.appendEntry('j1', { status: 'finished', progress: 100, statusDescription: 'late' })).toBeUndefined();
      expect((await store.getJob('j1'))?.latest).toMatchObject({ status: 'error', progress: 255, errorCode: 'E', responseId: 2 });
      expect(await store.unfinishedJobs()).toEqual([]);
    });

    it('when the VNF already has an unfinished job, then a second one is refused naming the running one', async () => {
      await store.createJob(newJob('j1'), buildVnf());
      await expect(store.createJob(newJob('j2'))).rejects.toMatchObject({ name: 'OperationInProgressError', runningJobId: 'j1' });
      expect((await store.unfinishedJobs()).map((j) => j.jobId)).toEqual(['j1']);
      await store.appendEntry('j1', { status: 'finished', progress: 100, statusDescription: 'done' });
      await expect(store.createJob(newJob('j3', { operation: 'scale' }))).resolves.toMatchObject({ jobId: 'j3' });
    });

    it('when 10 jobs of one VNF are created at once, then exactly one is created and 9 are refused', async () => {
      await store.createJob(newJob('first'), buildVnf({ status: 'ACTIVE' }));
      await store.appendEntry('first', { status: 'finished', progress: 100, statusDescription: 'done' });

      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? r.a : r.b).createJob(newJob(`op-${i}`, { operation: 'operate', refuseWhenVnfIs: ['TERMINATED'] })),
        ),
      );

      const created = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(created).toHaveLength(1);
      expect(refused).toHaveLength(9);
      for (const o of refused) expect(o.reason).toBeInstanceOf(OperationInProgressError);
      expect((await store.unfinishedJobs()).map((j) => j.jobId)).toEqual([
        (created[0] as PromiseFulfilledResult<{ jobId: string }>).value.jobId,
      ]);
    });

    it("when the VNF's status is one the new job refuses, then no job is created", async () => {
      await store.createJob(newJob('j1'), buildVnf({ status: 'TERMINATED' }));
      await store.appendEntry('j1', { status: 'finished', progress: 100, statusDescription: 'done' });

      await expect(store.createJob(newJob('j2', { refuseWhenVnfIs: ['TERMINATED', 'INSTANTIATING'] }))).rejects.toThrow(
        VnfNotOperableError,
      );
      expect(await store.getJob('j2')).toBeUndefined();
      await expect(store.createJob(newJob('j3', { refuseWhenVnfIs: ['INSTANTIATING'] }))).resolves.toMatchObject({ jobId: 'j3' });
    });

    it('when a checkpoint is saved, then the job carries it and unfinished jobs come oldest first', async () => {
      await store.createJob(newJob('j1'), buildVnf());
      await sleep(2);
      await store.createJob(newJob('j2', { vnfInstanceId: 'vnf-2' }), buildVnf({ vnfInstanceId: 'vnf-2' }));
      await store.saveState('j1', { step: 2, deployment: 'dep' });
      expect(await store.getJob('j1')).toMatchObject({ request: { a: 1 }, state: { step: 2, deployment: 'dep' } });
      expect((await store.unfinishedJobs()).map((j) => j.jobId)).toEqual(['j1', 'j2']);
    });

    it('when a redaction is given, then every job text is stored masked: the first, each change and the final error code', async () => {
      const masked = await backend.open({ redact: (text) => text.split('s3cret').join('***') });
      try {
        await masked.a.createJob(newJob('j1', { statusDescription: 'accepted s3cret' }), buildVnf());
        await masked.a.appendEntry('j1', { status: 'processing', progress: 20, statusDescription: 'step s3cret' });
        await masked.a.appendEntry('j1', { status: 'error', progress: 255, statusDescription: 'failed: s3cret', errorCode: 'E_s3cret' });
        expect((await masked.a.history('j1')).map((e) => [e.statusDescription, e.errorCode])).toEqual([
          ['accepted ***', null],
          ['step ***', null],
          ['failed: ***', 'E_***'],
        ]);
      } finally {
        await masked.close();
      }
    }, 30_000);
  });

  describe('VNF records', () => {
    it('when a VNF is patched, then the record keeps the change; an unknown one is refused', async () => {
      await store.createJob(newJob('j1'), buildVnf());
      const v = await store.updateVnf('vnf-1', {
        status: 'ACTIVE',
        escDeployment: 'dep',
        vimId: { cloud_owner: 'o', cloud_regionid: 'r' },
      });
      expect(v).toMatchObject({ status: 'ACTIVE', escDeployment: 'dep' });
      expect(v.updatedAt).not.toBe('2026-01-01T00:00:00.000Z');
      expect(await store.getVnf('vnf-1')).toEqual(v);
      expect(await store.getVnf('nope')).toBeUndefined();
      await expect(store.updateVnf('nope', { status: 'ACTIVE' })).rejects.toThrow(VnfNotFoundError);
    });

    it('when deployments are recorded, then the newest VNF of a deployment is found and terminated ones are not owned', async () => {
      await store.createJob(newJob('j1'), buildVnf({ escTenant: 't', escDeployment: 'd1', status: 'ACTIVE' }));
      await store.createJob(
        newJob('j2', { vnfInstanceId: 'vnf-2' }),
        buildVnf({ vnfInstanceId: 'vnf-2', escTenant: 't', escDeployment: 'd1', createdAt: '2026-01-02T00:00:00.000Z' }),
      );
      await store.createJob(
        newJob('j3', { vnfInstanceId: 'vnf-3' }),
        buildVnf({ vnfInstanceId: 'vnf-3', escTenant: 't', escDeployment: 'd3', status: 'TERMINATED' }),
      );
      expect((await store.findByDeployment('t', 'd1'))?.vnfInstanceId).toBe('vnf-2');
      expect(await store.findByDeployment('t', 'none')).toBeUndefined();
      expect((await store.vnfsWithDeployment()).map((v) => v.vnfInstanceId)).toEqual(['vnf-1', 'vnf-2']);
    });
  });

  describe('listings', () => {
    async function addJob(jobId: string, vnfmId: string, at: string, operation: Operation = 'instantiate'): Promise<void> {
      await store.createJob(
        newJob(jobId, { operation, vnfInstanceId: `vnf-${jobId}`, vnfmId }),
        buildVnf({ vnfInstanceId: `vnf-${jobId}`, vnfmId, createdAt: at, status: 'ACTIVE' }),
      );
    }

    it('when jobs and VNFs are listed, then pages go newest first within one VNFM, filtered, and cursors continue them', async () => {
      for (const [id, vnfm] of [
        ['a', 'm1'],
        ['b', 'm2'],
        ['c', 'm1'],
        ['d', 'm1'],
      ]) {
        await addJob(id, vnfm, `2026-01-01T00:00:0${id.charCodeAt(0) - 96}.000Z`, id === 'c' ? 'terminate' : 'instantiate');
        await sleep(2);
      }
      await store.appendEntry('a', { status: 'finished', progress: 100, statusDescription: 'done' });

      const first = await store.listJobs({ vnfmId: 'm1', limit: 2 });
      expect(first.items.map((j) => j.jobId)).toEqual(['d', 'c']);
      expect(first.items[0]).not.toHaveProperty('request');
      const second = await store.listJobs({ vnfmId: 'm1', limit: 2, cursor: first.nextCursor });
      expect(second.items.map((j) => [j.jobId, j.status])).toEqual([['a', 'finished']]);
      expect(second.nextCursor).toBeUndefined();
      expect((await store.listJobs({ vnfmId: 'm1', limit: 9, statuses: ['finished'] })).items.map((j) => j.jobId)).toEqual(['a']);
      expect((await store.listJobs({ vnfmId: 'm1', limit: 9, operations: ['terminate'] })).items.map((j) => j.jobId)).toEqual(['c']);

      const vnfs = await store.listVnfs({ vnfmId: 'm1', limit: 1 });
      expect(vnfs.items.map((v) => v.vnfInstanceId)).toEqual(['vnf-d']);
      const rest = await store.listVnfs({ vnfmId: 'm1', limit: 5, cursor: vnfs.nextCursor });
      expect(rest.items.map((v) => v.vnfInstanceId)).toEqual(['vnf-c', 'vnf-a']);
      expect((await store.listVnfs({ vnfmId: 'm1', limit: 5, statuses: ['TERMINATED'] })).items).toEqual([]);
      await expect(store.listJobs({ vnfmId: 'm1', limit: 2, cursor: 'not-a-cursor' })).rejects.toThrow(InvalidCursorError);
    });
  });

  describe('ownership: leases and fencing', () => {
    it('when a replica creates a job, then it owns it at epoch 1 and renewing its leases names its unfinished jobs', async () => {
      const job = await store.createJob(newJob('j1', { owner: { replicaId: 'replica-a', leaseMs: 60_000 } }), buildVnf());
      expect(job.fence).toEqual({ replicaId: 'replica-a', epoch: 1 });
      await store.createJob(newJob('j2', { vnfInstanceId: 'vnf-2' }), buildVnf({ vnfInstanceId: 'vnf-2' }));
      expect(await store.renewLeases('replica-a', 60_000)).toEqual(['j1']);
      expect(await store.renewLeases('replica-a', 60_000, ['j1', 'j2'])).toEqual(['j1']);
      expect(await store.renewLeases('replica-a', 60_000, [])).toEqual([]);
      expect(await store.renewLeases('replica-b', 60_000)).toEqual([]);
      await store.appendEntry('j1', { status: 'finished', progress: 100, statusDescription: 'done' }, { replicaId: 'replica-a', epoch: 1 });
      expect(await store.renewLeases('replica-a', 60_000)).toEqual([]);
    });

    it('when a lease is alive, then no other replica claims the job; a job without owner is claimed at once', async () => {
      await store.createJob(newJob('j1', { owner: { replicaId: 'replica-a', leaseMs: 60_000 } }), buildVnf());
      await store.createJob(newJob('j2', { vnfInstanceId: 'vnf-2' }), buildVnf({ vnfInstanceId: 'vnf-2' }));
      const claimed = await r.b.claimOrphans('replica-b', 60_000, 10);
      expect(claimed.map((j) => [j.jobId, j.fence])).toEqual([['j2', { replicaId: 'replica-b', epoch: 1 }]]);
      expect(await r.b.claimOrphans('replica-b', 60_000, 10)).toEqual([]);
    });

    it('when a replica claims orphans excluding the jobs it runs, then those stay as they are, lease run out or not', async () => {
      await store.createJob(newJob('j1', { owner: { replicaId: 'replica-a', leaseMs: 300 } }), buildVnf());
      await sleep(450);
      expect(await store.claimOrphans('replica-a', 60_000, 10, { exclude: ['j1'] })).toEqual([]);
      expect((await store.getJob('j1'))?.fence).toEqual({ replicaId: 'replica-a', epoch: 1 });
      expect((await r.b.claimOrphans('replica-b', 60_000, 10, { exclude: [] })).map((j) => j.jobId)).toEqual(['j1']);
    });

    it('when a lease runs out, then another replica claims the job with its checkpoint at the next epoch, and the old owner is fenced', async () => {
      await store.createJob(newJob('j1', { owner: { replicaId: 'replica-a', leaseMs: 300 } }), buildVnf());
      const oldFence = { replicaId: 'replica-a', epoch: 1 };
      await store.saveState('j1', { deployment: 'dep-1' }, oldFence);
      await store.appendEntry('j1', { status: 'processing', progress: 10, statusDescription: 'sent' }, oldFence);
      expect(await r.b.claimOrphans('replica-b', 60_000, 10)).toEqual([]);

      await sleep(450);
      const [claimed] = await r.b.claimOrphans('replica-b', 60_000, 10);

      expect(claimed).toMatchObject({ jobId: 'j1', state: { deployment: 'dep-1' }, fence: { replicaId: 'replica-b', epoch: 2 } });
      expect(claimed.latest).toMatchObject({ responseId: 2, progress: 10 });
      await expect(store.appendEntry('j1', { status: 'processing', progress: 20, statusDescription: 'late' }, oldFence)).rejects.toThrow(
        FencedWriteError,
      );
      await expect(store.saveState('j1', { deployment: 'other' }, oldFence)).rejects.toMatchObject({
        name: 'FencedWriteError',
        owner: { replicaId: 'replica-b', epoch: 2 },
      });
      await expect(store.updateVnf('vnf-1', { status: 'FAILED' }, { jobId: 'j1', ...oldFence })).rejects.toThrow(FencedWriteError);
      expect(await store.renewLeases('replica-a', 60_000)).toEqual([]);
      expect((await store.getVnf('vnf-1'))?.status).toBe('INSTANTIATING');
      expect(await store.history('j1')).toHaveLength(2);

      const newFence = claimed.fence!;
      await r.b.saveState('j1', { deployment: 'dep-1', step: 3 }, newFence);
      await r.b.updateVnf('vnf-1', { status: 'ACTIVE' }, { jobId: 'j1', ...newFence });
      await expect(
        r.b.appendEntry('j1', { status: 'finished', progress: 100, statusDescription: 'done' }, newFence),
      ).resolves.toMatchObject({ responseId: 3 });
    });

    it('when a replica renews only the jobs it runs, then a job it owns but stopped runs out and another replica claims it', async () => {
      await store.createJob(newJob('j1', { owner: { replicaId: 'replica-a', leaseMs: 300 } }), buildVnf());
      await store.createJob(
        newJob('j2', { vnfInstanceId: 'vnf-2', owner: { replicaId: 'replica-a', leaseMs: 300 } }),
        buildVnf({ vnfInstanceId: 'vnf-2' }),
      );
      for (let i = 0; i < 3; i++) {
        expect(await store.renewLeases('replica-a', 300, ['j2'])).toEqual(['j2']);
        await sleep(150);
      }
      expect((await r.b.claimOrphans('replica-b', 60_000, 10)).map((j) => j.jobId)).toEqual(['j1']);
    });

    it('when a replica starts again under its id, then it adopts its own jobs at once, whatever their lease', async () => {
      await store.createJob(newJob('j1', { owner: { replicaId: 'replica-a', leaseMs: 60_000 } }), buildVnf());
      expect(await store.claimOrphans('replica-a', 60_000, 10)).toEqual([]);
      const adopted = await store.claimOrphans('replica-a', 60_000, 10, { adoptOwn: true });
      expect(adopted.map((j) => j.fence)).toEqual([{ replicaId: 'replica-a', epoch: 2 }]);
    });

    it('when claims are limited, then the oldest orphans are taken first; replicas claiming together never take the same job', async () => {
      for (let i = 0; i < 6; i++) {
        await store.createJob(newJob(`j${i}`, { vnfInstanceId: `vnf-${i}` }), buildVnf({ vnfInstanceId: `vnf-${i}` }));
        await sleep(2);
      }
      expect((await r.a.claimOrphans('replica-a', 60_000, 2)).map((j) => j.jobId)).toEqual(['j0', 'j1']);
      const [fromA, fromB] = await Promise.all([r.a.claimOrphans('replica-a', 60_000, 4), r.b.claimOrphans('replica-b', 60_000, 4)]);
      const ids = [...fromA, ...fromB].map((j) => j.jobId).sort();
      expect(ids).toEqual(['j2', 'j3', 'j4', 'j5']);
    });
  });

  describe('Notify outbox', () => {
    it('when the same (jobId, status) or the same change id is inserted again, then it is stored once', async () => {
      const first = await r.outboxA.insert(outboxRow('j1', 'v1'), 1_000);
      expect(first).toMatchObject({ inserted: true, row: { jobId: 'j1', state: 'pending', attempts: 0, nextAttemptAt: 1_000 } });
      const again = await r.outboxB.insert(outboxRow('j1', 'v1'), 2_000);
      expect(again).toMatchObject({ inserted: false, row: { id: first.row.id } });

      const change = await r.outboxA.insert(outboxRow('c1', 'v2', { changeId: 'esc-1/event-1' }), 1_000);
      expect(change).toMatchObject({ inserted: true, row: { changeId: 'esc-1/event-1' } });
      const sameChange = await r.outboxB.insert(outboxRow('c1-other', 'v2', { changeId: 'esc-1/event-1' }), 1_000);
      expect(sameChange).toMatchObject({ inserted: false, row: { id: change.row.id, jobId: 'c1' } });
      expect(await r.outboxA.find('c1-other', 'RESULT')).toBeUndefined();
      expect((await r.outboxA.counts()).pending).toBe(2);
    });

    it("when a Notify names its job's fence, then it is queued only while that fence holds", async () => {
      await store.createJob(newJob('j1', { owner: { replicaId: 'replica-a', leaseMs: 60_000 } }), buildVnf());
      const stale = { replicaId: 'replica-a', epoch: 1 };
      await expect(r.outboxA.insert(outboxRow('j1', 'vnf-1', { status: 'START', fence: stale }), 1_000)).resolves.toMatchObject({
        inserted: true,
      });
      await store.claimOrphans('replica-a', 60_000, 10, { adoptOwn: true });

      await expect(r.outboxB.insert(outboxRow('j1', 'vnf-1', { fence: stale }), 1_000)).rejects.toThrow(FencedWriteError);
      expect(await r.outboxA.find('j1', 'RESULT')).toBeUndefined();
      await expect(
        r.outboxA.insert(outboxRow('j1', 'vnf-1', { fence: { replicaId: 'replica-a', epoch: 2 } }), 1_000),
      ).resolves.toMatchObject({
        inserted: true,
      });
      // Messages that belong to no job (ESC-initiated changes) have nothing to be fenced by.
      await expect(r.outboxA.insert(outboxRow('esc-change', 'vnf-1', { fence: stale }), 1_000)).resolves.toMatchObject({ inserted: true });
    });

    it('when several rows of a VNF are pending, then only the oldest is due, in order, and a failure lets the next go', async () => {
      await r.outboxA.insert(outboxRow('a1', 'v1', { status: 'START' }), 1_000);
      await r.outboxA.insert(outboxRow('a1', 'v1'), 1_000);
      await r.outboxA.insert(outboxRow('a2', 'v1'), 1_000);
      await r.outboxA.insert(outboxRow('b1', 'v2'), 1_500);

      let due = await r.outboxA.dueHeads(2_000, new Set(), 10);
      expect(due.map((row) => [row.jobId, row.status])).toEqual([
        ['a1', 'START'],
        ['b1', 'RESULT'],
      ]);
      expect((await r.outboxA.dueHeads(2_000, new Set(['v1']), 10)).map((row) => row.jobId)).toEqual(['b1']);
      await r.outboxA.markDelivered(due[0].id, 2_100);
      await r.outboxA.markRetry(due[1].id, 'HTTP 503', 9_000);

      due = await r.outboxA.dueHeads(3_000, new Set(), 10);
      expect(due.map((row) => [row.jobId, row.status])).toEqual([['a1', 'RESULT']]);
      expect(await r.outboxA.nextDueAt(new Set(['v1']))).toBe(9_000);
      await r.outboxA.markFailed(due[0].id, 'HTTP 400', 3_100);
      due = await r.outboxA.dueHeads(3_200, new Set(), 10);
      expect(due.map((row) => row.jobId)).toEqual(['a2']);
      expect((await r.outboxA.find('b1', 'RESULT'))?.lastError).toBe('HTTP 503');

      expect(await r.outboxA.counts()).toEqual({ pending: 2, delivered: 1, failed: 1, oldestPendingAt: 1_000 });
      expect(await r.outboxA.purgeSettled(3_000)).toBe(1);
      expect(await r.outboxA.purgeSettled(4_000)).toBe(1);
      expect((await r.outboxA.counts()).delivered).toBe(0);
    });

    it('when two replicas look for due rows, then a VNF head handed to one is not handed to the other until it is settled', async () => {
      await r.outboxA.insert(outboxRow('a1', 'v1'), 1_000);
      await r.outboxA.insert(outboxRow('a2', 'v1'), 1_000);
      await r.outboxA.insert(outboxRow('b1', 'v2'), 1_000);

      const [toA, toB] = await Promise.all([r.outboxA.dueHeads(2_000, new Set(), 10), r.outboxB.dueHeads(2_000, new Set(), 10)]);
      const handed = [...toA, ...toB].map((row) => row.jobId).sort();
      if (backend.shared) {
        expect(handed).toEqual(['a1', 'b1']);
        // Each asks again as its loop does, with the VNFs it is sending as busy: nothing is handed twice.
        const busyOf = (rows: typeof toA): Set<string> => new Set(rows.map((row) => row.vnfInstanceId));
        expect(await r.outboxA.dueHeads(2_000, busyOf(toA), 10)).toEqual([]);
        expect(await r.outboxB.dueHeads(2_000, busyOf(toB), 10)).toEqual([]);
        const a1 = [...toA, ...toB].find((row) => row.jobId === 'a1')!;
        await (toA.includes(a1) ? r.outboxA : r.outboxB).markDelivered(a1.id, 2_100);
        const b1 = [...toA, ...toB].find((row) => row.jobId === 'b1')!;
        const b1Holder = toA.includes(b1) ? r.outboxA : r.outboxB;
        const other = b1Holder === r.outboxA ? r.outboxB : r.outboxA;
        expect((await other.dueHeads(2_200, new Set(), 10)).map((row) => row.jobId)).toEqual(['a2']);
      } else {
        // One process: its loop is the only reader, the same heads are answered to it each time.
        expect(handed).toEqual(['a1', 'a1', 'b1', 'b1']);
      }
    });
  });

  describe('VES outbox', () => {
    it('when events are stored, then each source numbers its own from 1 and a purge does not make a number come back', async () => {
      const first = await r.vesA.insert(vesRow('vm-1'), 1_000);
      expect(first).toMatchObject({
        sourceName: 'vm-1',
        sequence: 1,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: 1_000,
        createdAt: 1_000,
      });
      expect(first.body).toBe(JSON.stringify({ eventId: first.eventId }));
      expect((await r.vesB.insert(vesRow('vm-1'), 1_100)).sequence).toBe(2);
      expect((await r.vesB.insert(vesRow('vm-2'), 1_200)).sequence).toBe(1);

      const due = await r.vesA.dueHeads(2_000, new Set(), 10);
      await r.vesA.markDelivered(
        due.map((row) => row.id),
        2_000,
      );
      const second = (await r.vesA.dueHeads(2_000, new Set(), 10))[0];
      await r.vesA.markDelivered([second.id], 2_100);
      expect(await r.vesA.purgeSettled(3_000)).toBe(3);
      expect(await r.vesA.counts()).toEqual({ pending: 0, delivered: 0, failed: 0 });
      expect((await r.vesA.insert(vesRow('vm-1'), 4_000)).sequence).toBe(3);
    });

    it('when several events of a source are pending, then only the oldest is due, and a retry holds the source while a failure lets the next go', async () => {
      const s1 = await r.vesA.insert(vesRow('s1'), 1_000);
      const s2 = await r.vesA.insert(vesRow('s1'), 1_000);
      const s3 = await r.vesA.insert(vesRow('s1'), 1_000);
      const t1 = await r.vesA.insert(vesRow('t1'), 1_500);

      expect((await r.vesA.dueHeads(2_000, new Set(), 10)).map((row) => row.eventId)).toEqual([s1.eventId, t1.eventId]);
      expect((await r.vesA.dueHeads(2_000, new Set(), 1)).map((row) => row.eventId)).toEqual([s1.eventId]);
      expect((await r.vesA.dueHeads(2_000, new Set(['s1']), 10)).map((row) => row.eventId)).toEqual([t1.eventId]);
      expect(await r.vesA.dueHeads(1_200, new Set(), 10)).toHaveLength(1);
      await r.vesA.markRetry(s1.id, 'HTTP 503', 9_000);
      // The head waits for its retry: its source's next event is not sent past it.
      expect((await r.vesA.dueHeads(3_000, new Set(), 10)).map((row) => row.eventId)).toEqual([t1.eventId]);
      expect(await r.vesA.nextDueAt(new Set(['t1']))).toBe(9_000);
      expect(await r.vesA.nextDueAt(new Set())).toBe(1_500);

      await r.vesA.markDelivered([t1.id], 3_000);
      await r.vesA.markFailed(s1.id, 'HTTP 400', 3_100);
      let due = await r.vesA.dueHeads(3_200, new Set(), 10);
      expect(due.map((row) => [row.eventId, row.sequence])).toEqual([[s2.eventId, 2]]);
      await r.vesA.markDelivered([s2.id], 3_300);
      due = await r.vesA.dueHeads(3_400, new Set(), 10);
      expect(due.map((row) => row.eventId)).toEqual([s3.eventId]);
      expect(await r.vesA.nextDueAt(new Set(['s1']))).toBeUndefined();

      expect(await r.vesA.counts()).toEqual({ pending: 1, delivered: 2, failed: 1, oldestPendingAt: 1_000 });
      expect(await r.vesA.purgeSettled(3_100)).toBe(1);
      expect(await r.vesA.purgeSettled(3_200)).toBe(1);
      expect(await r.vesA.counts()).toEqual({ pending: 1, delivered: 1, failed: 0, oldestPendingAt: 1_000 });
    });

    it('when a failure is recorded, then the row keeps the error and counts the attempt', async () => {
      const row = await r.vesA.insert(vesRow('s1'), 1_000);
      await r.vesA.dueHeads(1_000, new Set(), 10);
      await r.vesA.markRetry(row.id, 'no answer', 2_000);
      const [again] = await r.vesA.dueHeads(2_000, new Set(), 10);
      expect(again).toMatchObject({ id: row.id, attempts: 1, lastError: 'no answer', nextAttemptAt: 2_000, state: 'pending' });
      await r.vesA.markFailed(row.id, 'HTTP 400', 2_500);
      expect(await r.vesA.counts()).toEqual({ pending: 0, delivered: 0, failed: 1 });
    });

    it('when 30 events of one source are stored at once through both replicas, then they are numbered 1..30 with no gap or repeat', async () => {
      const rows = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? r.vesA : r.vesB).insert(vesRow('busy-source'), 1_000)));
      expect(rows.map((row) => row.sequence).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      // The source's events are due in their sequence order, one at a time.
      const seen: number[] = [];
      for (let i = 0; i < 30; i++) {
        const [head] = await r.vesA.dueHeads(2_000, new Set(), 10);
        seen.push(head.sequence);
        await r.vesA.markDelivered([head.id], 2_000);
      }
      expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    });

    it('when two replicas look for due events, then a source head handed to one is not handed to the other until it is settled', async () => {
      const s1 = await r.vesA.insert(vesRow('s1'), 1_000);
      const s2 = await r.vesA.insert(vesRow('s1'), 1_000);
      const t1 = await r.vesA.insert(vesRow('t1'), 1_000);

      const [toA, toB] = await Promise.all([r.vesA.dueHeads(2_000, new Set(), 10), r.vesB.dueHeads(2_000, new Set(), 10)]);
      const handed = [...toA, ...toB].map((row) => row.eventId).sort();
      if (!backend.shared) {
        // One process: its loop is the only reader, the same heads are answered to it each time.
        expect(handed).toEqual([s1.eventId, s1.eventId, t1.eventId, t1.eventId].sort());
        return;
      }
      expect(handed).toEqual([s1.eventId, t1.eventId].sort());
      const holderOf = (id: number): VesOutboxStore => (toA.some((row) => row.id === id) ? r.vesA : r.vesB);
      const otherOf = (id: number): VesOutboxStore => (holderOf(id) === r.vesA ? r.vesB : r.vesA);
      expect(await otherOf(s1.id).dueHeads(2_000, new Set(), 10)).toEqual(
        holderOf(t1.id) === otherOf(s1.id) ? [expect.objectContaining({ id: t1.id })] : [],
      );
      await holderOf(t1.id).markDelivered([t1.id], 2_100);
      await holderOf(s1.id).markRetry(s1.id, 'HTTP 503', 2_100);
      // The retried head is free again for whichever replica comes first; the source's next event still waits for it.
      expect((await otherOf(s1.id).dueHeads(2_200, new Set(), 10)).map((row) => row.id)).toEqual([s1.id]);
      expect(await holderOf(s1.id).dueHeads(2_200, new Set(), 10)).toEqual([]);
      await otherOf(s1.id).markDelivered([s1.id], 2_300);
      expect((await holderOf(s1.id).dueHeads(2_400, new Set(), 10)).map((row) => row.id)).toEqual([s2.id]);
    });

    describe('active alarms', () => {
      const unreachable = (severity: string) => ({ alarmCondition: 'escUnreachable', severity });

      it('when an alarm is raised twice at one severity, then only the first raise is stored', async () => {
        const first = await r.vesA.insertAlarmChange(vesRow('esc-1'), unreachable('CRITICAL'), 1_000);
        expect(first).toMatchObject({ sourceName: 'esc-1', sequence: 1, state: 'pending' });
        await expect(r.vesB.insertAlarmChange(vesRow('esc-1'), unreachable('CRITICAL'), 1_100)).resolves.toBeUndefined();
        expect(await r.vesA.counts()).toMatchObject({ pending: 1 });
      });

      it('when an active alarm is raised at a new severity, then the raise is stored, and the same severity again is not', async () => {
        await r.vesA.insertAlarmChange(vesRow('esc-1'), unreachable('MAJOR'), 1_000);
        await expect(r.vesA.insertAlarmChange(vesRow('esc-1'), unreachable('CRITICAL'), 1_100)).resolves.toMatchObject({ sequence: 2 });
        await expect(r.vesB.insertAlarmChange(vesRow('esc-1'), unreachable('CRITICAL'), 1_200)).resolves.toBeUndefined();
        // Another condition of the source, and the same condition of another source, are alarms of their own.
        await expect(
          r.vesA.insertAlarmChange(vesRow('esc-1'), { alarmCondition: 'other', severity: 'CRITICAL' }, 1_300),
        ).resolves.toBeDefined();
        await expect(r.vesA.insertAlarmChange(vesRow('esc-2'), unreachable('CRITICAL'), 1_300)).resolves.toBeDefined();
        expect(await r.vesA.counts()).toMatchObject({ pending: 4 });
      });

      it('when an alarm that is not active is cleared, then nothing is stored', async () => {
        await expect(r.vesA.insertAlarmChange(vesRow('vm-1'), unreachable('NORMAL'), 1_000)).resolves.toBeUndefined();
        expect(await r.vesA.counts()).toEqual({ pending: 0, delivered: 0, failed: 0 });
      });

      it('when an active alarm is cleared, then the clear is stored once and the alarm is gone (a new raise is stored again)', async () => {
        await r.vesA.insertAlarmChange(vesRow('vm-1'), unreachable('MINOR'), 1_000);
        await expect(r.vesB.insertAlarmChange(vesRow('vm-1'), unreachable('NORMAL'), 1_100)).resolves.toMatchObject({ sequence: 2 });
        await expect(r.vesA.insertAlarmChange(vesRow('vm-1'), unreachable('NORMAL'), 1_200)).resolves.toBeUndefined();
        await expect(r.vesA.insertAlarmChange(vesRow('vm-1'), unreachable('MINOR'), 1_300)).resolves.toMatchObject({ sequence: 3 });
        expect(await r.vesA.counts()).toMatchObject({ pending: 3 });
      });

      it('when alarms are active on a source, then both replicas list them by condition; a cleared one leaves the list', async () => {
        await r.vesA.insertAlarmChange(vesRow('vm-1'), { alarmCondition: 'vmDown', severity: 'MAJOR' }, 1_000);
        await r.vesA.insertAlarmChange(vesRow('vm-1'), { alarmCondition: 'diskFull', severity: 'MINOR' }, 1_000);
        await r.vesA.insertAlarmChange(vesRow('vm-2'), { alarmCondition: 'vmDown', severity: 'MAJOR' }, 1_000);
        expect(await r.vesB.activeAlarms('vm-1')).toEqual(['diskFull', 'vmDown']);
        await r.vesB.insertAlarmChange(vesRow('vm-1'), { alarmCondition: 'vmDown', severity: 'NORMAL' }, 1_100);
        expect(await r.vesA.activeAlarms('vm-1')).toEqual(['diskFull']);
        expect(await r.vesA.activeAlarms('vm-3')).toEqual([]);
      });

      it('when both replicas raise, then clear, one alarm at once, then each change is stored exactly once', async () => {
        const raises = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 ? r.vesA : r.vesB).insertAlarmChange(vesRow('esc-1'), unreachable('CRITICAL'), 1_000),
          ),
        );
        expect(raises.filter((row) => row !== undefined)).toHaveLength(1);
        const clears = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? r.vesA : r.vesB).insertAlarmChange(vesRow('esc-1'), unreachable('NORMAL'), 2_000)),
        );
        expect(clears.filter((row) => row !== undefined)).toHaveLength(1);
        expect(await r.vesA.counts()).toMatchObject({ pending: 2 });
      });
    });
  });

  it('when replicas share the store, then one at a time holds the reconciliation lock of an ESC, and a holder that dies lets it go', async () => {
    const lockA = reconcileLockFor(r.a);
    const lockB = reconcileLockFor(r.b);
    if (!backend.shared) {
      // One process on the file: nobody to take turns with.
      expect(lockA).toBeUndefined();
      return;
    }
    const held = await lockA!.tryHold('reconcile esc-1:830');
    expect(held).toBeDefined();
    expect(await lockB!.tryHold('reconcile esc-1:830')).toBeUndefined();
    const other = await lockB!.tryHold('reconcile esc-2:830');
    expect(other).toBeDefined();
    await held!.release();
    const next = await lockB!.tryHold('reconcile esc-1:830');
    expect(next).toBeDefined();
    await next!.release();
    await other!.release();

    // The holder dies: its connection ends (here ended by the server), and the lock with it.
    const dying = await lockA!.tryHold('reconcile esc-3:830');
    expect(dying).toBeDefined();
    expect(dying!.lost).toBe(false);
    await (r.b as PostgresDriverStore).database.query(
      'test',
      "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid::int = hashtext($1)",
      ['reconcile esc-3:830'],
    );
    await waitUntilHeld(() => lockB!.tryHold('reconcile esc-3:830'));
    // The holder can tell: it is no longer responsible for that ESC.
    for (let i = 0; i < 50 && !dying!.lost; i++) await sleep(100);
    expect(dying!.lost).toBe(true);
    await dying!.release();
  });

  it('answers a ping while open', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
