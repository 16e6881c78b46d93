import pg from 'pg';
import { jobsWrittenByTwoOwners } from '../../../bench/lib/double-owner-writes';
import { FencedWriteError, type NewJob } from '../../../src/jobs/job-store';
import { PostgresDriverStore } from '../../../src/store/postgres/postgres-driver-store';
import { startPostgresCluster, type PostgresCluster } from '../../support/postgres-cluster';

const job = (jobId: string, owner?: NewJob['owner']): NewJob => ({
  jobId,
  operation: 'instantiate',
  vnfInstanceId: `vnf-of-${jobId}`,
  vnfmId: 'vnfm-1',
  request: {},
  requestId: `req-${jobId}`,
  statusDescription: 'accepted',
  ...(owner ? { owner } : {}),
});

const step = (progress: number): { status: 'processing'; progress: number; statusDescription: string } => ({
  status: 'processing',
  progress,
  statusDescription: `step ${progress}`,
});

describe('who wrote each history entry (PostgreSQL store)', () => {
  let cluster: PostgresCluster;
  let url: string;
  let a: PostgresDriverStore;
  let b: PostgresDriverStore;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    url = await cluster.createDatabase('history_writers');
    a = await PostgresDriverStore.open(url);
    b = await PostgresDriverStore.open(url);
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await cluster?.stop();
  });

  async function writers(jobId: string): Promise<Array<[number, string | null, number | null]>> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ response_id: number; written_by: string | null; written_epoch: number | null }>(
        'SELECT response_id, written_by, written_epoch FROM job_history WHERE job_id = $1 ORDER BY response_id',
        [jobId],
      );
      return rows.map((r) => [r.response_id, r.written_by, r.written_epoch]);
    } finally {
      await client.end();
    }
  }

  it('when a replica that lost a job to a claim writes to it, then nothing is written and the history shows each owner under its own epoch', async () => {
    await a.createJob(job('job-1', { replicaId: 'replica-a', leaseMs: 1 }));
    await a.appendEntry('job-1', step(10), { replicaId: 'replica-a', epoch: 1 });
    await new Promise((r) => setTimeout(r, 20));
    const [claimed] = await b.claimOrphans('replica-b', 60_000, 10);
    expect(claimed.fence).toEqual({ replicaId: 'replica-b', epoch: 2 });

    await expect(a.appendEntry('job-1', step(20), { replicaId: 'replica-a', epoch: 1 })).rejects.toThrow(FencedWriteError);
    await b.appendEntry('job-1', step(30), claimed.fence);

    expect(await writers('job-1')).toEqual([
      [1, 'replica-a', 1],
      [2, 'replica-a', 1],
      [3, 'replica-b', 2],
    ]);
    expect(await jobsWrittenByTwoOwners(url)).toEqual([]);
  });

  it('when an entry is written without a fence, then it names no writer and is left out of the check', async () => {
    await a.createJob(job('job-2'));
    await a.appendEntry('job-2', step(10));

    expect(await writers('job-2')).toEqual([
      [1, null, null],
      [2, null, null],
    ]);
    expect(await jobsWrittenByTwoOwners(url)).toEqual([]);
  });

  it('when the history shows a lower epoch after a higher one, or two writers under one epoch, then the check names those jobs', async () => {
    await a.createJob(job('job-3', { replicaId: 'replica-a', leaseMs: 60_000 }));
    await a.createJob(job('job-4', { replicaId: 'replica-a', leaseMs: 60_000 }));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // What a broken fence would leave behind: written here by hand, as no store method can.
      const forge = (jobId: string, responseId: number, by: string, epoch: number): Promise<unknown> =>
        client.query(
          `INSERT INTO job_history (job_id, response_id, status, progress, status_description, error_code, at, written_by, written_epoch)
           VALUES ($1, $2, 'processing', 50, 'forged', NULL, $3, $4, $5)`,
          [jobId, responseId, new Date().toISOString(), by, epoch],
        );
      await forge('job-3', 2, 'replica-b', 2);
      await forge('job-3', 3, 'replica-a', 1);
      await forge('job-4', 2, 'replica-b', 1);
    } finally {
      await client.end();
    }

    expect(await jobsWrittenByTwoOwners(url)).toEqual(['job-3', 'job-4']);
  });
});
