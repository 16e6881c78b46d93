import type { Operation } from '../jobs/job-model';

/** Tunables of the ESC runtime. Durations in ms unless the name says otherwise. */
export interface EscRuntimeSettings {
  /** Fixed deadline per operation; absent → derived from the VMs' bootup time ({@link deadlineFor}). */
  deadlinesMs: Partial<Record<Operation, number>>;
  /** Boot time assumed for a VM whose VNFD says nothing, seconds (ESC's own default is 300). */
  defaultBootupTimeSec: number;
  /** Added to every derived deadline for ESC's own work (tenant, networks, API latency). */
  deadlineMarginMs: number;
  /** Period of the opdata re-check while waiting for escEvents (0 = only after reconnects). */
  recheckIntervalMs: number;
  /** Longest wait for SERVICE_UNDEPLOYED when cleaning up after a failed instantiate. */
  cleanupTimeoutMs: number;
  /** Least time given to a resumed wait, even when its deadline passed while the driver was down. */
  resumeGraceMs: number;
  /**
   * Upper bound of each operation's deadline (fixed or derived), e.g. the job deadline minus the time
   * a cleanup needs, so that the runtime gives up (and cleans up) before the job itself is cut off.
   */
  deadlineCapsMs?: Partial<Record<Operation, number>>;
  /** Backoff while ESC cannot be reached (connect refused, link lost, no answer); retried until the deadline. */
  unreachableRetry: { initialMs: number; maxMs: number; jitter: number };
  /** Longest wait for SERVICE_STOPPED of a GRACEFUL terminate that names no timeout. */
  gracefulStopMaxMs: number;
}

/** Defaults: derived deadlines, 30 s re-check, 5 min cleanup. */
export const DEFAULT_ESC_RUNTIME_SETTINGS: EscRuntimeSettings = {
  deadlinesMs: {},
  defaultBootupTimeSec: 300,
  deadlineMarginMs: 120_000,
  recheckIntervalMs: 30_000,
  cleanupTimeoutMs: 300_000,
  resumeGraceMs: 30_000,
  unreachableRetry: { initialMs: 1000, maxMs: 10_000, jitter: 0.3 },
  gracefulStopMaxMs: 600_000,
};

/**
 * The deadline of one operation: the configured value, else derived from the longest VM bootup time
 * (ESC deploys a deployment's VMs in parallel, then waits up to bootup_time for each to be alive):
 * instantiate/scale/heal/operate get twice the boot time plus the margin; terminate gets the margin
 * plus the graceful stop time.
 */
export function deadlineFor(op: Operation, settings: EscRuntimeSettings, bootupTimesSec: readonly number[] = [], extraMs = 0): number {
  const cap = settings.deadlineCapsMs?.[op];
  const capped = (ms: number): number => (cap !== undefined && cap > 0 ? Math.min(ms, cap) : ms);
  const fixed = settings.deadlinesMs[op];
  if (fixed !== undefined && fixed > 0) return capped(fixed + extraMs);
  const known = bootupTimesSec.filter((s) => s > 0);
  const bootMs = (known.length > 0 ? Math.max(...known) : settings.defaultBootupTimeSec) * 1000;
  if (op === 'terminate') return capped(settings.deadlineMarginMs + extraMs);
  return capped(2 * bootMs + settings.deadlineMarginMs + extraMs);
}
