import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobHistoryReader } from '../../../src/jobs/job-history-reader';
import { SqliteDriverStore } from '../../../src/jobs/sqlite-store';

const newJob = (jobId: string, vnfInstanceId: string) => ({
  jobId, operation: 'instantiate' as const, vnfInstanceId, vnfmId: 'vnfm-1', request: {}, requestId: 'req-1', statusDescription: 'accepted',
});

describe('JobHistoryReader', () => {
  let dir: string;
  let file: string;
  let writer: SqliteDriverStore;
  let reader: JobHistoryReader | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'job-history-reader-'));
    file = join(dir, 'driver.db');
    writer = SqliteDriverStore.open(file);
    reader = undefined;
  });

  afterEach(() => {
    reader?.close();
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A job of five entries (responseIds 1..5), the last one final, with text that needs escaping in JSON. */
  function writeFinishedJob(jobId: string): void {
    writer.createJob(newJob(jobId, `vnf-of-${jobId}`));
    writer.appendEntry(jobId, { status: 'processing', progress: 20, statusDescription: 'quote " backslash \\ newline \n é 😀 \u0001' });
    writer.appendEntry(jobId, { status: 'processing', progress: 50, statusDescription: '' });
    writer.appendEntry(jobId, { status: 'processing', progress: 80, statusDescription: 'almost', errorCode: 'W"1' });
    writer.appendEntry(jobId, { status: 'error', progress: 255, statusDescription: 'failed: <ESC> said "no"', errorCode: 'E_ESC' });
  }

  it.each([
    ['0', 0],
    ['1 (the first entry)', 1],
    ['3 (a middle entry)', 3],
    ['5 (the last entry)', 5],
    ['6 (beyond the last entry)', 6],
    ['a far larger number', 1_000_000],
  ])('when a job with several entries is polled after %s, then the reader answers the writing store\'s text byte for byte', (_what, after) => {
    writeFinishedJob('job-1');
    reader = JobHistoryReader.open(file);

    const expected = writer.jobDescriptorJson('job-1', after);
    expect(expected).toBeDefined();
    expect(reader.jobDescriptorJson('job-1', after)).toBe(expected);
  });

  it('when several jobs are stored, then each poll answers the history of the job asked for only', () => {
    writeFinishedJob('job-1');
    writer.createJob(newJob('job-2', 'vnf-2'));
    reader = JobHistoryReader.open(file);

    const answer = JSON.parse(reader.jobDescriptorJson('job-2', 0)!);
    expect(answer).toMatchObject({ jobId: 'job-2', responseDescriptor: { responseId: '1', status: 'started', progress: 0 } });
    expect(reader.jobDescriptorJson('job-2', 0)).toBe(writer.jobDescriptorJson('job-2', 0));
  });

  it('when the job is unknown, then the answer is undefined', () => {
    writeFinishedJob('job-1');
    reader = JobHistoryReader.open(file);

    expect(reader.jobDescriptorJson('job-unknown', 0)).toBeUndefined();
    expect(reader.jobDescriptorJson('', 0)).toBeUndefined();
  });

  it('when the store holds no job at all, then the answer is undefined', () => {
    reader = JobHistoryReader.open(file);

    expect(reader.jobDescriptorJson('job-1', 0)).toBeUndefined();
  });

  it('when the writer appends an entry after the reader opened, then the very next read shows it', () => {
    writer.createJob(newJob('job-1', 'vnf-1'));
    reader = JobHistoryReader.open(file);
    const first = reader.jobDescriptorJson('job-1', 0);
    expect(JSON.parse(first!).responseDescriptor.responseId).toBe('1');

    writer.appendEntry('job-1', { status: 'processing', progress: 40, statusDescription: 'deploying' });

    const second = reader.jobDescriptorJson('job-1', 0);
    expect(JSON.parse(second!).responseDescriptor).toMatchObject({ responseId: '2', status: 'processing', progress: 40, statusDescription: 'deploying' });
    expect(second).toBe(writer.jobDescriptorJson('job-1', 0));
    expect(second).not.toBe(first);
  });

  it('when a job is created after the reader opened, then the very next read finds it', () => {
    reader = JobHistoryReader.open(file);
    expect(reader.jobDescriptorJson('job-late', 0)).toBeUndefined();

    writer.createJob(newJob('job-late', 'vnf-late'));

    expect(reader.jobDescriptorJson('job-late', 0)).toBe(writer.jobDescriptorJson('job-late', 0));
  });

  it('when the writer appends 200 entries one by one, then the reader answers each one as the writer does right after it', () => {
    writer.createJob(newJob('job-1', 'vnf-1'));
    reader = JobHistoryReader.open(file);
    const mismatches: number[] = [];

    for (let i = 1; i <= 200; i++) {
      writer.appendEntry('job-1', { status: 'processing', progress: i % 100, statusDescription: `step ${i}` });
      const after = i % 7 === 0 ? 0 : i; // the whole history now and then, else the newest entries only
      if (reader.jobDescriptorJson('job-1', after) !== writer.jobDescriptorJson('job-1', after)) mismatches.push(i);
    }

    expect(mismatches).toEqual([]);
    const last = JSON.parse(reader.jobDescriptorJson('job-1', 200)!);
    expect(last.responseDescriptor).toMatchObject({ responseId: '201', statusDescription: 'step 200' });
    expect(last.responseDescriptor.responseHistoryList.map((e: { responseId: string }) => e.responseId)).toEqual(['201']);
    expect(JSON.parse(reader.jobDescriptorJson('job-1', 0)!).responseDescriptor.responseHistoryList).toHaveLength(201);
  });

  it('when the store file does not exist, then opening throws and creates no file', () => {
    const missing = join(dir, 'missing.db');

    expect(() => JobHistoryReader.open(missing)).toThrow();
    expect(existsSync(missing)).toBe(false);
  });

  it('when close() is called twice, then the second call does nothing', () => {
    writeFinishedJob('job-1');
    reader = JobHistoryReader.open(file);
    expect(reader.jobDescriptorJson('job-1', 0)).toBeDefined();

    reader.close();
    expect(() => reader!.close()).not.toThrow();
    // The writer is not affected by the reader going away.
    writer.createJob(newJob('job-2', 'vnf-2'));
    expect(JSON.parse(writer.jobDescriptorJson('job-2', 0)!).jobId).toBe('job-2');
  });
});
