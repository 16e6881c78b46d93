import { FencedWriteError, type NewJob } from '../../../src/jobs/job-store';
import { SqliteDriverStore } from '../../../src/jobs/sqlite-store';
import { VnfCache } from '../../../src/jobs/vnf-cache';
import { groupCommitOf } from '../../../src/store/group-commit';
import type { VnfRecord } from '../../../src/vnfs/vnf-record';

function vnf(id: string, overrides: Partial<VnfRecord> = {}): VnfRecord {
  return {
    vnfInstanceId: id,
    vnfmId: 'm',
    vnfInstanceName: id,
    vnfdId: 'd',
    vnfPackageId: 'p',
    status: 'INSTANTIATING',
    attributes: { vms: [{ id: 'vm-1' }] },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const newJob = (jobId: string, vnfInstanceId: string, owner?: NewJob['owner']): NewJob => ({
  jobId,
  operation: 'instantiate',
  vnfInstanceId,
  vnfmId: 'm',
  request: {},
  requestId: 'r',
  statusDescription: 'accepted',
  owner,
});

describe('VnfCache', () => {
  it('when a VNF is terminated, then it leaves the cache', () => {
    const cache = new VnfCache(10);
    cache.set(vnf('a', { status: 'ACTIVE' }));
    expect(cache.get('a')?.status).toBe('ACTIVE');
    cache.set(vnf('a', { status: 'TERMINATED' }));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('when more VNFs are stored than the bound, then the least recently stored go first', () => {
    const cache = new VnfCache(2);
    cache.set(vnf('a'));
    cache.set(vnf('b'));
    cache.set(vnf('a', { status: 'ACTIVE' }));
    cache.set(vnf('c'));
    expect([cache.get('a')?.status, cache.get('b'), cache.get('c')?.status]).toEqual(['ACTIVE', undefined, 'INSTANTIATING']);
    expect(cache.size).toBe(2);
  });

  it('when a record is held, then it and what it holds are frozen', () => {
    const cache = new VnfCache(1);
    const record = vnf('a');
    cache.set(record);
    expect(Object.isFrozen(record) && Object.isFrozen(record.attributes) && Object.isFrozen((record.attributes.vms as object[])[0])).toBe(
      true,
    );
  });
});

describe('SqliteDriverStore VNF reads', () => {
  let store: SqliteDriverStore;
  beforeEach(() => {
    store = SqliteDriverStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('when an update is committed, then the next read returns the new record', async () => {
    await store.createJob(newJob('j1', 'vnf-1'), vnf('vnf-1'));
    expect((await store.getVnf('vnf-1'))?.status).toBe('INSTANTIATING');

    await store.updateVnf('vnf-1', { status: 'ACTIVE', escTenant: 't', escDeployment: 'dep', attributes: { vms: [] } });

    expect(await store.getVnf('vnf-1')).toMatchObject({ status: 'ACTIVE', escDeployment: 'dep', attributes: { vms: [] } });
    expect(await store.findByDeployment('t', 'dep')).toMatchObject({ vnfInstanceId: 'vnf-1', status: 'ACTIVE' });
  });

  it('when two updates of one VNF share a group, then the second merges onto the first', async () => {
    await store.createJob(newJob('j1', 'vnf-1'), vnf('vnf-1'));
    await store.getVnf('vnf-1');

    const first = store.updateVnf('vnf-1', { escTenant: 't' });
    const second = store.updateVnf('vnf-1', { status: 'ACTIVE' });
    await Promise.all([first, second]);

    expect(await store.getVnf('vnf-1')).toMatchObject({ escTenant: 't', status: 'ACTIVE' });
  });

  it('when the group holding an update is rolled back, then reads still return the record as it was', async () => {
    await store.createJob(newJob('j1', 'vnf-1'), vnf('vnf-1'));
    const before = await store.getVnf('vnf-1');
    store.database.exec(
      'CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)',
    );

    const update = store.updateVnf('vnf-1', { status: 'ACTIVE' });
    // A write of the same group that makes its COMMIT fail.
    const breaking = groupCommitOf(store.database).write(() => store.database.prepare('INSERT INTO c (p) VALUES (42)').run());
    await expect(update).rejects.toThrow(/FOREIGN KEY/);
    await expect(breaking).rejects.toThrow(/FOREIGN KEY/);

    expect(await store.getVnf('vnf-1')).toBe(before);
    expect(before?.status).toBe('INSTANTIATING');
    expect(store.database.prepare("SELECT status FROM vnf_instances WHERE vnf_instance_id = 'vnf-1'").pluck().get()).toBe('INSTANTIATING');
  });

  it('when a fenced update is refused, then it names the owner and the record stays as it was', async () => {
    await store.createJob(newJob('j1', 'vnf-1', { replicaId: 'replica-a', leaseMs: 60_000 }), vnf('vnf-1'));

    const refused = store.updateVnf('vnf-1', { status: 'FAILED' }, { jobId: 'j1', replicaId: 'replica-b', epoch: 1 });

    await expect(refused).rejects.toThrow(FencedWriteError);
    await expect(refused).rejects.toMatchObject({ owner: { replicaId: 'replica-a', epoch: 1 } });
    expect((await store.getVnf('vnf-1'))?.status).toBe('INSTANTIATING');
    await expect(store.updateVnf('vnf-1', { status: 'ACTIVE' }, { jobId: 'j1', replicaId: 'replica-a', epoch: 1 })).resolves.toMatchObject({
      status: 'ACTIVE',
    });
  });

  it('when a VNF is terminated, then it is read from the database as terminated', async () => {
    await store.createJob(newJob('j1', 'vnf-1'), vnf('vnf-1', { status: 'ACTIVE' }));
    await store.getVnf('vnf-1');

    await store.updateVnf('vnf-1', { status: 'TERMINATED' });

    expect((await store.getVnf('vnf-1'))?.status).toBe('TERMINATED');
  });

  it('when the caller changes the record or patch it gave, then the stored record does not change, and what is read is frozen', async () => {
    const given = vnf('vnf-1');
    await store.createJob(newJob('j1', 'vnf-1'), given);
    const patch = { attributes: { vms: [{ id: 'vm-2' }] } };
    await store.updateVnf('vnf-1', patch);

    given.attributes.vms = [];
    patch.attributes.vms.push({ id: 'vm-3' });

    const read = await store.getVnf('vnf-1');
    expect(read?.attributes).toEqual({ vms: [{ id: 'vm-2' }] });
    expect(Object.isFrozen(read) && Object.isFrozen(read?.attributes)).toBe(true);
  });
});
