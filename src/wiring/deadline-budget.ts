import type { Operation } from '../jobs/job-model';

/** How the ESC runtime's time is fitted inside the job deadline. Durations in ms. */
export interface EscDeadlineBudget {
  /** Longest ESC deadline per operation: the job deadline minus the reserve. */
  capsMs: Record<Operation, number>;
  /** Longest wait of the cleanup undeploy after a failed instantiate; it fits inside instantiate's reserve. */
  cleanupTimeoutMs: number;
  /** Time kept free after the ESC deadline per operation, for the cleanup. */
  reservesMs: Record<Operation, number>;
}

/** Slack kept between the end of a cleanup and the job deadline. */
const SLACK_MS = 30_000;
/** Never more than this share of a job's deadline is reserved for cleanup. */
const MAX_RESERVE_SHARE = 0.25;

/**
 * Splits each job deadline (JOB_DEADLINE_SECONDS) into the ESC runtime's own deadline and a reserve.
 * The job runner aborts the operation's signal at the job deadline, and an aborted operation does not
 * undeploy; so the runtime must give up first, leaving time for its cleanup undeploy (ESC guide
 * "Un-deploy Service"). The reserve is the cleanup time plus a slack, at most a quarter of the deadline;
 * the cleanup wait (only a failed instantiate cleans up) is cut to 80 % of instantiate's reserve.
 */
export function escDeadlineBudget(jobDeadlineSeconds: Record<Operation, number>, cleanupTimeoutMs: number): EscDeadlineBudget {
  const ops = Object.keys(jobDeadlineSeconds) as Operation[];
  const reservesMs = {} as Record<Operation, number>;
  const capsMs = {} as Record<Operation, number>;
  for (const op of ops) {
    const jobMs = jobDeadlineSeconds[op] * 1000;
    const reserve = Math.min(cleanupTimeoutMs + SLACK_MS, Math.floor(jobMs * MAX_RESERVE_SHARE));
    reservesMs[op] = reserve;
    capsMs[op] = jobMs - reserve;
  }
  const reserve = reservesMs.instantiate ?? cleanupTimeoutMs;
  return { capsMs, reservesMs, cleanupTimeoutMs: Math.max(1, Math.min(cleanupTimeoutMs, Math.floor(reserve * 0.8))) };
}
