import type { Operation } from '../../../src/jobs/job-model';
import { SqliteDriverStore } from '../../../src/jobs/sqlite-store';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../../../src/jobs/store-listing';
import type { VnfRecord } from '../../../src/vnfs/vnf-record';

function vnf(id: string, vnfmId: string, createdAt: string, status: VnfRecord['status'] = 'ACTIVE'): VnfRecord {
  return {
    vnfInstanceId: id,
    vnfmId,
    vnfInstanceName: id,
    vnfdId: 'd',
    vnfPackageId: 'p',
    status,
    attributes: {},
    createdAt,
    updatedAt: createdAt,
  };
}

describe('SqliteDriverStore listings', () => {
  let store: SqliteDriverStore;
  beforeEach(() => {
    store = SqliteDriverStore.open(':memory:');
  });
  afterEach(() => store.close());

  /** Creates a job (and its VNF) at a given creation time. */
  async function addJob(jobId: string, vnfmId: string, at: string, operation: Operation = 'instantiate'): Promise<void> {
    const clock = jest.spyOn(Date.prototype, 'toISOString').mockReturnValue(at);
    await store.createJob(
      { jobId, operation, vnfInstanceId: `vnf-${jobId}`, vnfmId, request: {}, requestId: `req-${jobId}`, statusDescription: 'accepted' },
      vnf(`vnf-${jobId}`, vnfmId, at),
    );
    clock.mockRestore();
  }

  it("when jobs of several VNFMs exist, then a VNFM's list holds only its own, newest first, without requests or checkpoints", async () => {
    await addJob('a', 'm1', '2026-01-01T00:00:01.000Z');
    await addJob('b', 'm2', '2026-01-01T00:00:02.000Z');
    await addJob('c', 'm1', '2026-01-01T00:00:03.000Z', 'terminate');

    const page = await store.listJobs({ vnfmId: 'm1', limit: 10 });

    expect(page.items.map((j) => j.jobId)).toEqual(['c', 'a']);
    expect(page.items[0]).toEqual({
      jobId: 'c',
      operation: 'terminate',
      vnfInstanceId: 'vnf-c',
      vnfmId: 'm1',
      requestId: 'req-c',
      status: 'started',
      progress: 0,
      statusDescription: 'accepted',
      errorCode: null,
      responseId: 1,
      createdAt: '2026-01-01T00:00:03.000Z',
      updatedAt: '2026-01-01T00:00:03.000Z',
    });
    expect(page.nextCursor).toBeUndefined();
  });

  it('when filtered by status and operation, then only jobs matching one of the values of each filter are listed', async () => {
    await addJob('a', 'm', '2026-01-01T00:00:01.000Z', 'instantiate');
    await addJob('b', 'm', '2026-01-01T00:00:02.000Z', 'scale');
    await addJob('c', 'm', '2026-01-01T00:00:03.000Z', 'heal');
    await store.appendEntry('a', { status: 'finished', progress: 100, statusDescription: 'done' });
    await store.appendEntry('b', { status: 'error', progress: 255, statusDescription: 'failed' });

    expect((await store.listJobs({ vnfmId: 'm', statuses: ['finished', 'error'], limit: 10 })).items.map((j) => j.jobId)).toEqual([
      'b',
      'a',
    ]);
    expect((await store.listJobs({ vnfmId: 'm', operations: ['heal', 'instantiate'], limit: 10 })).items.map((j) => j.jobId)).toEqual([
      'c',
      'a',
    ]);
    expect((await store.listJobs({ vnfmId: 'm', statuses: ['error'], operations: ['instantiate'], limit: 10 })).items).toEqual([]);
  });

  it('when paged, then the cursors walk every job once, ties in creation time broken by id', async () => {
    for (const id of ['j1', 'j2', 'j3', 'j4', 'j5'])
      await addJob(id, 'm', id < 'j3' ? '2026-01-01T00:00:01.000Z' : '2026-01-01T00:00:02.000Z');

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.listJobs({ vnfmId: 'm', limit: 2, cursor });
      seen.push(...page.items.map((j) => j.jobId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined);

    expect(seen).toEqual(['j5', 'j4', 'j3', 'j2', 'j1']);
    expect(pages).toBe(3);
  });

  it("when VNFs are listed, then they are the VNFM's own, newest first, filtered by status and paged", async () => {
    await store.createJob(
      { jobId: 'x', operation: 'instantiate', vnfInstanceId: 'v1', vnfmId: 'm', request: {}, requestId: 'r', statusDescription: 'a' },
      vnf('v1', 'm', '2026-01-01T00:00:01.000Z', 'ACTIVE'),
    );
    await store.createJob(
      { jobId: 'y', operation: 'instantiate', vnfInstanceId: 'v2', vnfmId: 'm', request: {}, requestId: 'r', statusDescription: 'a' },
      vnf('v2', 'm', '2026-01-01T00:00:02.000Z', 'FAILED'),
    );
    await store.createJob(
      { jobId: 'z', operation: 'instantiate', vnfInstanceId: 'v3', vnfmId: 'other', request: {}, requestId: 'r', statusDescription: 'a' },
      vnf('v3', 'other', '2026-01-01T00:00:03.000Z'),
    );

    const first = await store.listVnfs({ vnfmId: 'm', limit: 1 });
    expect(first.items.map((v) => v.vnfInstanceId)).toEqual(['v2']);
    expect((await store.listVnfs({ vnfmId: 'm', limit: 1, cursor: first.nextCursor })).items.map((v) => v.vnfInstanceId)).toEqual(['v1']);
    expect((await store.listVnfs({ vnfmId: 'm', statuses: ['ACTIVE'], limit: 5 })).items.map((v) => v.vnfInstanceId)).toEqual(['v1']);
  });

  it('when a cursor was not handed out by the store, then it is refused', async () => {
    await expect(store.listJobs({ vnfmId: 'm', limit: 1, cursor: 'not-a-cursor' })).rejects.toThrow(InvalidCursorError);
    expect(decodeCursor(encodeCursor({ createdAt: 't', id: 'i' }))).toEqual({ createdAt: 't', id: 'i' });
  });
});
