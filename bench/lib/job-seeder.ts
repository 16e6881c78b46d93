import { randomUUID } from 'node:crypto';
import { OPERATIONS, type JobStatus } from '../../src/jobs/job-model';
import { SqliteDriverStore } from '../../src/jobs/sqlite-store';

/** A seeded job and the responseId of its latest entry. */
export interface SeededJob {
  jobId: string;
  latestResponseId: number;
}

/** The history every seeded job gets after its `started` entry, as a finished lifecycle operation leaves it. */
const STEPS: { status: JobStatus; progress: number; statusDescription: string }[] = [
  { status: 'processing', progress: 10, statusDescription: 'deployment sent to ESC' },
  { status: 'processing', progress: 60, statusDescription: 'VM_DEPLOYED 1/2' },
  { status: 'finished', progress: 100, statusDescription: 'SERVICE_ALIVE' },
];

/**
 * Jobs seeded at once: each job's writes follow one another, and each waits for its group commit (a few ms), so
 * jobs written one after the other would take minutes; written side by side, they share the commits.
 */
const SEED_BATCH = 1000;

/**
 * Adds `count` finished jobs (4 history entries each) through the store API to the SQLite file at `storePath`
 * (created when missing); returns them with their latest responseId.
 */
export async function seedJobs(storePath: string, count: number, vnfmId: string): Promise<SeededJob[]> {
  const store = SqliteDriverStore.open(storePath);
  const seedOne = async (i: number): Promise<SeededJob> => {
    const jobId = randomUUID();
    await store.createJob({
      jobId,
      operation: OPERATIONS[i % OPERATIONS.length],
      vnfInstanceId: randomUUID(),
      vnfmId,
      request: { bench: true },
      requestId: randomUUID(),
      statusDescription: 'accepted',
    });
    for (const step of STEPS) await store.appendEntry(jobId, step);
    return { jobId, latestResponseId: 1 + STEPS.length };
  };
  try {
    const jobs: SeededJob[] = [];
    for (let first = 0; first < count; first += SEED_BATCH) {
      const batch = Array.from({ length: Math.min(SEED_BATCH, count - first) }, (_, k) => seedOne(first + k));
      jobs.push(...(await Promise.all(batch)));
    }
    return jobs;
  } finally {
    await store.close();
  }
}
