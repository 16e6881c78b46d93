import { DemoError } from './demo-errors';
import type { DriverClient } from './driver-client';

/** One job status entry as the driver renders it. */
export interface JobEntryView {
  status: string;
  progress: number;
  statusDescription: string;
  responseId: string;
  errorCode?: number | null;
}

/** How to follow one job. Durations in ms. */
export interface FollowOptions {
  /** Name of the walk step, for messages (e.g. `scale out`). */
  step: string;
  jobId: string;
  intervalMs: number;
  /** Longest time to wait for `finished` or `error`. */
  timeoutMs: number;
  /** Called for every new entry, oldest first. */
  onEntry(entry: JobEntryView): void;
  /** Stops the wait early. */
  signal?: AbortSignal;
}

/** Failures in a row tolerated before giving up, as NSLCM does (404 is not a failure). */
const MAX_FAILURES = 3;

/**
 * Follows a job with NSLCM's poll loop (docs/nslcm-contract.md §4 "Job polling"): `GET jobs/{id}?responseId=N` from
 * N = 0; an answer whose responseId equals N is ignored; otherwise the history list (newest first) is
 * replayed oldest first, then the descriptor, and N becomes its responseId. 404 means "keep polling";
 * other failures are tolerated {@link MAX_FAILURES} times in a row. Ends on `finished` or `error` only.
 * @returns the final descriptor entry
 * @throws DemoError on timeout, abort or repeated failures
 */
export async function followJob(client: DriverClient, opts: FollowOptions): Promise<JobEntryView> {
  const deadline = Date.now() + opts.timeoutMs;
  let n = '0';
  let failures = 0;
  for (;;) {
    if (Date.now() > deadline)
      throw new DemoError(opts.step, `job ${opts.jobId} did not end within ${Math.round(opts.timeoutMs / 1000)} s`);
    if (opts.signal?.aborted) throw new DemoError(opts.step, `stopped while following job ${opts.jobId}`);
    const answer = await client.get(
      opts.step,
      client.vnfmUrl(`/jobs/${encodeURIComponent(opts.jobId)}?responseId=${encodeURIComponent(n)}`),
    );
    const d = descriptorOf(answer.body);
    if (answer.status === 200 && d) {
      failures = 0;
      if (d.responseId !== n) {
        for (const e of [...d.history].reverse()) opts.onEntry(e);
        opts.onEntry(d.latest);
        n = d.responseId;
        if (d.latest.status === 'finished' || d.latest.status === 'error') return d.latest;
      }
    } else if (answer.status !== 404 && ++failures > MAX_FAILURES) {
      throw new DemoError(
        opts.step,
        `polling job ${opts.jobId} failed ${failures} times; last answer ${answer.status} ${JSON.stringify(answer.body ?? null).slice(0, 300)}`,
      );
    }
    await pause(Math.min(opts.intervalMs, Math.max(0, deadline - Date.now())), opts.signal);
  }
}

function descriptorOf(body: unknown): { latest: JobEntryView; history: JobEntryView[]; responseId: string } | undefined {
  const rd = (body as { responseDescriptor?: Record<string, unknown> } | undefined)?.responseDescriptor;
  if (!rd || typeof rd !== 'object') return undefined;
  const latest = entryOf(rd);
  if (!latest) return undefined;
  const list = Array.isArray(rd.responseHistoryList) ? rd.responseHistoryList : [];
  const history = list.map(entryOf).filter((e): e is JobEntryView => e !== undefined);
  return { latest, history, responseId: latest.responseId };
}

function entryOf(v: unknown): JobEntryView | undefined {
  const o = v as Record<string, unknown> | undefined;
  if (!o || typeof o.status !== 'string' || o.responseId === undefined) return undefined;
  return {
    status: o.status,
    progress: Number(o.progress) || 0,
    statusDescription: typeof o.statusDescription === 'string' ? o.statusDescription : '',
    responseId: typeof o.responseId === 'string' ? o.responseId : JSON.stringify(o.responseId),
    errorCode: typeof o.errorCode === 'number' ? o.errorCode : null,
  };
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
