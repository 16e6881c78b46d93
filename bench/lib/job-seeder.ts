import { randomUUID } from 'node:crypto';
import { OPERATIONS, type JobStatus } from '../../src/jobs/job-model';
import { SqliteDriverStore } from '../../src/jobs/sqlite-store';

/** A seeded job and the responseId of its latest entry. */
export interface SeededJob {
  jobId: string;
  latestResponseId: number;
}

/** The history every seeded job gets after its `started` entry; every fifth job stays `processing`. */
const STEPS: { status: JobStatus; progress: number; statusDescription: string }[] = [
  { status: 'processing', progress: 10, statusDescription: 'deployment sent to ESC' },
  { status: 'processing', progress: 60, statusDescription: 'VM_DEPLOYED 1/2' },
  { status: 'finished', progress: 100, statusDescription: 'SERVICE_ALIVE' },
];

/**
 * Creates `count` jobs (at most 100,000) through the store API in a fresh SQLite file: each with 3 or 4 history
 * entries, as a lifecycle operation leaves them. Returns the job ids with their latest responseId.
 */
export async function seedJobs(storePath: string, count: number, vnfmId: string): Promise<SeededJob[]> {
  const n = Math.min(count, 100_000);
  const store = SqliteDriverStore.open(storePath);
  try {
    const jobs: SeededJob[] = [];
    for (let i = 0; i < n; i++) {
      const jobId = randomUUID();
      await store.createJob({
        jobId,
        operation: OPERATIONS[i % OPERATIONS.length]!,
        vnfInstanceId: randomUUID(),
        vnfmId,
        request: { bench: true },
        requestId: randomUUID(),
        statusDescription: 'accepted',
      });
      const steps = i % 5 === 0 ? STEPS.slice(0, 2) : STEPS;
      for (const step of steps) await store.appendEntry(jobId, step);
      jobs.push({ jobId, latestResponseId: 1 + steps.length });
    }
    return jobs;
  } finally {
    await store.close();
  }
}
