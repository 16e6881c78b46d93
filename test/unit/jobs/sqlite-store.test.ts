import { OperationInProgressError, VnfNotOperableError } from '../../../src/jobs/job-store';
import { SqliteDriverStore } from '../../../src/jobs/sqlite-store';
import type { VnfRecord } from '../../../src/vnfs/vnf-record';

function buildVnf(overrides: Partial<VnfRecord> = {}): VnfRecord {
  return {
    vnfInstanceId: 'vnf-1',
    vnfmId: 'm',
    vnfInstanceName: 'n',
    vnfdId: 'd',
    vnfPackageId: 'p',
    status: 'INSTANTIATING',
    attributes: {},
    createdAt: 't',
    updatedAt: 't',
    ...overrides,
  };
}
const newJob = (jobId: string) => ({
  jobId,
  operation: 'instantiate' as const,
  vnfInstanceId: 'vnf-1',
  vnfmId: 'm',
  request: { a: 1 },
  requestId: 'r',
  statusDescription: 'accepted',
});

describe('SqliteDriverStore', () => {
  let store: SqliteDriverStore;
  beforeEach(() => {
    store = SqliteDriverStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('when a job is created, then it starts at responseId 1 and each change gets the next one', async () => {
    await store.createJob(newJob('j1'), buildVnf());
    await store.appendEntry('j1', { status: 'processing', progress: 20, statusDescription: 'a' });
    await store.appendEntry('j1', { status: 'processing', progress: 40, statusDescription: 'b' });
    expect((await store.history('j1')).map((e) => e.responseId)).toEqual([1, 2, 3]);
  });

  it('when polled with N, then the latest comes first and only entries newer than N follow', async () => {
    await store.createJob(newJob('j1'), buildVnf());
    for (const p of [10, 20, 30]) await store.appendEntry('j1', { status: 'processing', progress: p, statusDescription: `${p}` });
    const listed = async (after: number): Promise<string[]> => {
      const d = JSON.parse((await store.jobDescriptorJson('j1', after))!) as {
        responseDescriptor: { responseId: string; responseHistoryList: Array<{ responseId: string }> };
      };
      return [d.responseDescriptor.responseId, ...d.responseDescriptor.responseHistoryList.map((e) => e.responseId)];
    };
    expect(await listed(2)).toEqual(['4', '4', '3']);
    expect(await listed(4)).toEqual(['4']);
    expect(await store.jobDescriptorJson('nope', 0)).toBeUndefined();
  });

  it('when a job is final, then it does not change any more', async () => {
    await store.createJob(newJob('j1'), buildVnf());
    await store.appendEntry('j1', { status: 'error', progress: 255, statusDescription: 'x', errorCode: 'E' });
    expect(await store.appendEntry('j1', { status: 'finished', progress: 100, statusDescription: 'late' })).toBeUndefined();
    expect((await store.getJob('j1'))?.latest).toMatchObject({ status: 'error', progress: 255, errorCode: 'E', responseId: 2 });
  });

  it('when the VNF already has an unfinished job, then a second one is refused', async () => {
    await store.createJob(newJob('j1'), buildVnf());
    await expect(store.createJob(newJob('j2'))).rejects.toThrow(OperationInProgressError);
    expect((await store.unfinishedJobs()).map((j) => j.jobId)).toEqual(['j1']);
  });

  it("when the VNF's status is one the new job refuses, then no job is created", async () => {
    await store.createJob(newJob('j1'), buildVnf({ status: 'TERMINATED' }));
    await store.appendEntry('j1', { status: 'finished', progress: 100, statusDescription: 'done' });

    await expect(store.createJob({ ...newJob('j2'), refuseWhenVnfIs: ['TERMINATED', 'INSTANTIATING'] })).rejects.toThrow(
      VnfNotOperableError,
    );
    expect(await store.getJob('j2')).toBeUndefined();
    await expect(store.createJob({ ...newJob('j3'), refuseWhenVnfIs: ['INSTANTIATING'] })).resolves.toMatchObject({ jobId: 'j3' });
  });

  it('when a VNF is patched, then the record keeps the change and the request and checkpoint are kept with the job', async () => {
    await store.createJob(newJob('j1'), buildVnf());
    await store.saveState('j1', { step: 2 });
    const v = await store.updateVnf('vnf-1', { status: 'ACTIVE', escDeployment: 'dep', vimId: { cloud_owner: 'o', cloud_regionid: 'r' } });
    expect(await store.getVnf('vnf-1')).toEqual(v);
    expect(await store.getJob('j1')).toMatchObject({ request: { a: 1 }, state: { step: 2 } });
  });

  it('when a redaction is given, then every job text is stored masked: the first, each change and the final error code', async () => {
    const masked = SqliteDriverStore.open(':memory:', { redact: (text) => text.split('s3cret').join('***') });
    try {
      await masked.createJob({ ...newJob('j1'), statusDescription: 'accepted s3cret' }, buildVnf());
      await masked.appendEntry('j1', { status: 'processing', progress: 20, statusDescription: 'step s3cret' });
      await masked.appendEntry('j1', { status: 'error', progress: 255, statusDescription: 'failed: s3cret', errorCode: 'E_s3cret' });
      expect((await masked.history('j1')).map((e) => [e.statusDescription, e.errorCode])).toEqual([
        ['accepted ***', null],
        ['step ***', null],
        ['failed: ***', 'E_***'],
      ]);
      expect((await masked.getJob('j1'))?.latest.statusDescription).toBe('failed: ***');
    } finally {
      await masked.close();
    }
  });
});
