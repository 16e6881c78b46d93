/**
 * Accounting of the Notify messages NSLCM accepted during a run with several replicas, against the jobs the run
 * started: which were told twice, which never, and which came in another order than the operations ran.
 */

/** One Notify NSLCM accepted (201), in arrival order. */
export interface AcceptedNotify {
  vnfInstanceId: string;
  jobId?: string;
  status: string;
  operation: string;
  /** Arrival time, ms since the epoch. */
  at: number;
}

/** One job a lifecycle started (its POST answered with a jobId), in the order the lifecycle ran them. */
export interface StartedJob {
  vnfInstanceId: string;
  jobId: string;
  /** The final status the job reached as NSLCM polled it, or undefined when it never ended. */
  outcome?: 'finished' | 'error';
}

/** A fault the run injected into a replica. */
export interface FaultEvent {
  at: number;
  replica: string;
  kind: 'kill' | 'restart' | 'freeze' | 'thaw';
}

/** A Notify NSLCM accepted more than once, and what explains it (undefined: nothing does). */
export interface DuplicateNotify {
  jobId: string;
  status: string;
  deliveries: number[];
  explanation?: string;
  /** How many replicas recorded the delivery in their logs, when the logs were read. */
  records?: number;
}

/** What the ledger found. */
export interface NotifyAccount {
  /** Notify messages expected: those told, and those owed (see {@link dueOf}) but never told. */
  expected: number;
  accepted: number;
  duplicates: DuplicateNotify[];
  /** `jobId status` pairs never accepted. */
  missing: string[];
  /** VNFs whose Notify messages did not arrive in the order of their jobs (START before RESULT, job after job). */
  outOfOrder: string[];
  /** Accepted Notify messages naming no job of the run (ESC-initiated changes), by `vnfInstanceId operation`. */
  unrelated: string[];
}

const STATUSES = ['START', 'RESULT'] as const;

/**
 * Whether a job owes NSLCM this message: a finished job both; a job that failed its RESULT once it told START (a job
 * failing before it changed anything tells nothing); a job that never ended nothing yet.
 */
function dueOf(job: StartedJob, status: (typeof STATUSES)[number], started: boolean): boolean {
  if (job.outcome === 'finished') return true;
  return job.outcome === 'error' && status === 'RESULT' && started;
}

/**
 * Each job is expected to be told START then RESULT, once each (see {@link dueOf}); whatever was told counts as
 * expected, so a message told twice is a duplicate, never also a missing one. A duplicate is explained
 * when a replica was killed or frozen between the first delivery and the repeat: the first sender can have been
 * stopped after NSLCM accepted the message and before it recorded the delivery, which at-least-once delivery then
 * repeats (a sender stopped just before NSLCM read its request counts too, {@link IN_FLIGHT_MS}).
 */
export function accountNotifies(
  jobs: readonly StartedJob[],
  notifies: readonly AcceptedNotify[],
  faults: readonly FaultEvent[],
): NotifyAccount {
  const ours = new Set(jobs.map((j) => j.jobId));
  const byKey = new Map<string, number[]>();
  for (const n of notifies) {
    if (n.jobId === undefined || !ours.has(n.jobId)) continue;
    const key = `${n.jobId} ${n.status}`;
    byKey.set(key, [...(byKey.get(key) ?? []), n.at]);
  }
  let expected = 0;
  const missing: string[] = [];
  for (const job of jobs) {
    const started = byKey.has(`${job.jobId} START`);
    for (const status of STATUSES) {
      const told = byKey.has(`${job.jobId} ${status}`);
      if (!(told || dueOf(job, status, started))) continue;
      expected++;
      if (!told) missing.push(`${job.jobId} ${status}`);
    }
  }
  const duplicates: DuplicateNotify[] = [];
  for (const [key, deliveries] of byKey) {
    if (deliveries.length < 2) continue;
    const [jobId, status] = key.split(' ');
    duplicates.push({ jobId, status, deliveries, explanation: explain(deliveries, faults) });
  }
  return {
    expected,
    accepted: notifies.length,
    duplicates,
    missing,
    outOfOrder: outOfOrderVnfs(jobs, notifies),
    unrelated: notifies.filter((n) => n.jobId === undefined || !ours.has(n.jobId)).map((n) => `${n.vnfInstanceId} ${n.operation}`),
  };
}

/**
 * How long before NSLCM accepted a message its sender may have been stopped: the request was on its way (sent, not
 * yet read by NSLCM, whose recording time is when it has read the body), so NSLCM accepts it from a sender that can
 * no longer record the delivery.
 */
export const IN_FLIGHT_MS = 1000;

/**
 * The kills and freezes from just before the first delivery (see {@link IN_FLIGHT_MS}) to the last, as one
 * sentence; undefined when there is none.
 */
function explain(deliveries: readonly number[], faults: readonly FaultEvent[]): string | undefined {
  const first = deliveries[0];
  const last = deliveries[deliveries.length - 1];
  const between = faults.filter((f) => (f.kind === 'kill' || f.kind === 'freeze') && f.at >= first - IN_FLIGHT_MS && f.at <= last);
  if (between.length === 0) return undefined;
  const when = (f: FaultEvent): string =>
    f.at >= first ? `${f.at - first} ms after` : `${first - f.at} ms before (its request in flight)`;
  const what = between.map((f) => `${f.replica} ${f.kind === 'kill' ? 'killed' : 'frozen'} ${when(f)}`).join(', ');
  return `first accepted at ${new Date(first).toISOString()}, again ${last - first} ms later; ${what}: the sender stopped before it recorded the delivery`;
}

/**
 * The VNFs whose first deliveries are not in the order START, RESULT of each job, job after job as the lifecycle ran
 * them (a repeat of a message already told does not count against the order).
 */
function outOfOrderVnfs(jobs: readonly StartedJob[], notifies: readonly AcceptedNotify[]): string[] {
  const rank = new Map<string, number>();
  const perVnf = new Map<string, number>();
  for (const job of jobs) {
    const i = perVnf.get(job.vnfInstanceId) ?? 0;
    rank.set(`${job.jobId} START`, 2 * i);
    rank.set(`${job.jobId} RESULT`, 2 * i + 1);
    perVnf.set(job.vnfInstanceId, i + 1);
  }
  const seen = new Set<string>();
  const last = new Map<string, number>();
  const bad = new Set<string>();
  for (const n of notifies) {
    const key = `${n.jobId} ${n.status}`;
    const r = rank.get(key);
    if (r === undefined || seen.has(key)) continue;
    seen.add(key);
    if ((last.get(n.vnfInstanceId) ?? -1) > r) bad.add(n.vnfInstanceId);
    last.set(n.vnfInstanceId, r);
  }
  return [...bad];
}
