import { OPERATIONS, type Job, type Operation } from '../jobs/job-model';

/** A counter labelled by operation (a prom-client `Counter<'operation'>` fits). */
export interface OperationCounter {
  inc(labels: { operation: Operation }): void;
}

/** A histogram labelled by operation (a prom-client `Histogram<'operation'>` fits). */
export interface OperationHistogram {
  observe(labels: { operation: Operation }, value: number): void;
}

/**
 * The job metrics the lifecycle feeds. Structural on purpose: the prom-client `Metrics` of
 * `src/metrics` satisfies it, and lifecycle code does not depend on prom-client.
 */
export interface JobMetrics {
  /** +1 when a job is accepted. */
  jobsStarted: OperationCounter;
  /** +1 when a job reaches `finished`. */
  jobsFinished: OperationCounter;
  /** +1 when a job reaches `error`. */
  jobsFailed: OperationCounter;
  /** Seconds from the job's creation (acceptance) to its final status. */
  jobDuration: OperationHistogram;
}

type OperationLabels = Readonly<{ operation: Operation }>;

/** One label object per operation, shared by every observation (no allocation per event). */
const LABELS: Readonly<Record<string, OperationLabels>> = Object.freeze(
  Object.fromEntries(OPERATIONS.map((operation) => [operation, Object.freeze({ operation })])),
);

function labelsOf(operation: Operation): OperationLabels {
  return LABELS[operation] ?? { operation };
}

/** Counts an accepted job. Never throws: a metrics failure must not fail the request. */
export function recordJobStarted(metrics: JobMetrics | undefined, operation: Operation): void {
  if (!metrics) return;
  try {
    metrics.jobsStarted.inc(labelsOf(operation));
  } catch {
    // metrics are best effort
  }
}

/**
 * Counts a job that has just reached its final status and observes its duration from the stored
 * creation time (so a job resumed after a restart is measured from its original acceptance).
 * Call it only from the place that wrote the final entry, so that each job is counted once.
 * Never throws: a metrics failure must not turn a finished job into a failed one.
 */
export function recordJobEnded(
  metrics: JobMetrics | undefined,
  job: Pick<Job, 'operation' | 'createdAt'>,
  status: 'finished' | 'error',
  nowMs: number = Date.now(),
): void {
  if (!metrics) return;
  try {
    const labels = labelsOf(job.operation);
    (status === 'finished' ? metrics.jobsFinished : metrics.jobsFailed).inc(labels);
    const seconds = (nowMs - Date.parse(job.createdAt)) / 1000;
    if (Number.isFinite(seconds)) metrics.jobDuration.observe(labels, Math.max(0, seconds));
  } catch {
    // metrics are best effort
  }
}
