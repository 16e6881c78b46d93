import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobDescriptorJson, renderEntryJson, type JobEntry } from '../../../src/jobs/job-model';
import { HistoryCache } from '../../../src/jobs/history-cache';
import { SqliteDriverStore } from '../../../src/jobs/sqlite-store';

const entry = (responseId: number, extra: Partial<JobEntry> = {}): JobEntry => ({
  responseId,
  status: 'processing',
  progress: responseId * 10,
  statusDescription: `step ${responseId}`,
  errorCode: null,
  at: 't',
  ...extra,
});
/**
 * The descriptor of docs/nslcm-contract.md §4 "Job polling" built as plain objects, independently of the code under test: the
 * latest entry (responseId as a string) with the entries newer than `after`, newest first, as its history list.
 */
function expectedDescriptor(jobId: string, newestFirst: readonly JobEntry[], after: number): string {
  const wire = (e: JobEntry) => ({
    status: e.status,
    progress: e.progress,
    statusDescription: e.statusDescription,
    errorCode: e.errorCode === null ? null : Number(e.errorCode),
    responseId: String(e.responseId),
  });
  return JSON.stringify({
    jobId,
    responseDescriptor: { ...wire(newestFirst[0]), responseHistoryList: newestFirst.filter((e) => e.responseId > after).map(wire) },
  });
}

const newJob = (jobId: string, vnfInstanceId = 'vnf-1') => ({
  jobId,
  operation: 'instantiate' as const,
  vnfInstanceId,
  vnfmId: 'm',
  request: {},
  requestId: 'r',
  statusDescription: 'accepted',
});

describe('jobDescriptorJson', () => {
  const tricky = [
    entry(4, { status: 'error', progress: 255, statusDescription: 'quote " backslash \\ newline \n é 😀 \u0001', errorCode: '31' }),
    entry(3, { statusDescription: '' }),
    entry(2),
    entry(1, { status: 'started', progress: 0 }),
  ];

  it.each([0, 1, 2, 3, 4, 5, 99])('when polled after %i, then the text is JSON.stringify of the descriptor, byte for byte', (after) => {
    const text = jobDescriptorJson('job "1"', tricky, tricky.map(renderEntryJson), after);

    expect(text).toBe(expectedDescriptor('job "1"', tricky, after));
  });

  it('when the history is empty, then it refuses', () => {
    expect(() => jobDescriptorJson('j', [], [], 0)).toThrow(/no history/);
  });
});

describe('HistoryCache', () => {
  it('when more jobs than the bound are held, then the oldest insertion goes first', () => {
    const cache = new HistoryCache(2);
    cache.set('a', 'vnfm-1', [entry(1)]);
    cache.set('b', 'vnfm-1', [entry(1)]);
    cache.set('c', 'vnfm-1', [entry(1)]);

    expect([cache.get('a'), cache.get('b') !== undefined, cache.get('c') !== undefined]).toEqual([undefined, true, true]);
  });

  it('when an entry is prepended, then the held arrays are new ones and earlier readers keep theirs', () => {
    const cache = new HistoryCache(10);
    const before = cache.set('a', 'vnfm-1', [entry(1)]);
    cache.prepend('a', entry(2));

    expect(before.entries.map((e) => e.responseId)).toEqual([1]);
    expect(cache.get('a')!.entries.map((e) => e.responseId)).toEqual([2, 1]);
    expect(cache.get('a')!.rendered).toEqual([renderEntryJson(entry(2)), renderEntryJson(entry(1))]);
  });

  it('when an entry is not newer than the latest held, then the job is dropped rather than held wrong', () => {
    const cache = new HistoryCache(10);
    cache.set('a', 'vnfm-1', [entry(2), entry(1)]);
    cache.prepend('a', entry(2));

    expect(cache.get('a')).toBeUndefined();
  });

  it('when the bound is 0, then nothing is held', () => {
    const cache = new HistoryCache(0);
    cache.set('a', 'vnfm-1', [entry(1)]);
    cache.prepend('a', entry(2));

    expect(cache.size).toBe(0);
  });
});

describe('SqliteDriverStore polls', () => {
  let store: SqliteDriverStore;
  afterEach(() => store.close());

  const descriptorOf = async (jobId: string, after: number): Promise<string> =>
    expectedDescriptor(jobId, (await store.history(jobId)).reverse(), after);

  it.each([0, 10_000])(
    'when jobs change after being polled (cache of %i jobs), then every poll answers what the database holds',
    async (cacheJobs) => {
      store = SqliteDriverStore.open(':memory:', { historyCacheJobs: cacheJobs });
      await store.createJob(newJob('j1'));
      expect(await store.jobDescriptorJson('j1', 0)).toBe(await descriptorOf('j1', 0));
      for (const p of [10, 20, 30]) {
        await store.appendEntry('j1', { status: 'processing', progress: p, statusDescription: `at ${p}` });
        for (const after of [0, 1, 2, 3, 4, 5]) expect(await store.jobDescriptorJson('j1', after)).toBe(await descriptorOf('j1', after));
      }
      await store.appendEntry('j1', { status: 'finished', progress: 100, statusDescription: 'done' });
      await store.appendEntry('j1', { status: 'error', progress: 255, statusDescription: 'ignored, job is final' });

      expect(await store.jobDescriptorJson('j1', 4)).toBe(await descriptorOf('j1', 4));
      expect(pollAnswer(await store.jobDescriptorJson('j1', 3)).responseDescriptor.responseHistoryList.map((e) => e.responseId)).toEqual([
        '5',
        '4',
      ]);
      expect(await store.jobDescriptorJson('nope', 0)).toBeUndefined();
    },
  );

  it('when a poll has answered with the final entry of a job, then the job leaves the cache and later polls read the database', async () => {
    store = SqliteDriverStore.open(':memory:');
    await store.createJob(newJob('j1'));
    await store.appendEntry('j1', { status: 'processing', progress: 50, statusDescription: 'half' });
    expect(await store.jobDescriptorJson('j1', 0)).toContain('half');
    // Changed behind the store's back: a running job's polls are answered from the cache.
    store.database.prepare("UPDATE job_history SET status_description = 'behind' WHERE job_id = 'j1'").run();
    expect(await store.jobDescriptorJson('j1', 0)).not.toContain('behind');

    await store.appendEntry('j1', { status: 'finished', progress: 100, statusDescription: 'done' });
    expect(JSON.parse((await store.jobDescriptorJson('j1', 0))!)).toMatchObject({ responseDescriptor: { status: 'finished' } });
    store.database.prepare("UPDATE job_history SET status_description = 'read again' WHERE job_id = 'j1' AND response_id = 3").run();
    expect(await store.jobDescriptorJson('j1', 0)).toContain('read again');
  });

  it('when a job was written before this store opened, then its polls read it from the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poll-rendering-'));
    try {
      const writer = SqliteDriverStore.open(join(dir, 'driver.db'));
      await writer.createJob(newJob('j1'));
      await writer.appendEntry('j1', { status: 'processing', progress: 50, statusDescription: 'half' });
      await writer.close();
      store = SqliteDriverStore.open(join(dir, 'driver.db'));

      expect(JSON.parse((await store.jobDescriptorJson('j1', 1))!)).toMatchObject({
        jobId: 'j1',
        responseDescriptor: { responseId: '2', progress: 50, responseHistoryList: [{ responseId: '2' }] },
      });
      expect(await store.jobDescriptorJson('j1', 1)).toBe(await descriptorOf('j1', 1));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when an append happens inside a transaction that rolls back, then polls do not show it', async () => {
    store = SqliteDriverStore.open(':memory:');
    await store.createJob(newJob('j1'));
    expect(await store.jobDescriptorJson('j1', 0)).toBe(await descriptorOf('j1', 0));

    // SQLite answers when called: what is read inside the transaction is what the transaction saw.
    let inside: Promise<string | undefined> | undefined;
    const outer = store.database.transaction(() => {
      void store.appendEntry('j1', { status: 'processing', progress: 10, statusDescription: 'rolled back' });
      inside = store.jobDescriptorJson('j1', 0);
      throw new Error('roll back');
    });
    expect(() => outer()).toThrow('roll back');
    expect(pollAnswer(await inside).responseDescriptor.responseId).toBe('2');

    expect(await store.jobDescriptorJson('j1', 0)).toBe(await descriptorOf('j1', 0));
    expect(pollAnswer(await store.jobDescriptorJson('j1', 0)).responseDescriptor.responseId).toBe('1');
  });

  it('when a job is created inside a transaction that rolls back, then it stays unknown to polls', async () => {
    store = SqliteDriverStore.open(':memory:');
    const outer = store.database.transaction(() => {
      void store.createJob(newJob('j1'));
      throw new Error('roll back');
    });
    expect(() => outer()).toThrow('roll back');

    expect(await store.jobDescriptorJson('j1', 0)).toBeUndefined();
  });
});

/** A poll answer's JSON text, parsed as the descriptor it is (absent: a test failure). */
function pollAnswer(json: string | undefined): {
  responseDescriptor: { responseId: string; responseHistoryList: { responseId: string }[] };
} {
  if (json === undefined) throw new Error('no job descriptor');
  return JSON.parse(json) as { responseDescriptor: { responseId: string; responseHistoryList: { responseId: string }[] } };
}
