/** Job status values exactly as NSLCM expects them, lower case (docs/nslcm-contract.md §4 "Job polling"). */
export type JobStatus = 'started' | 'processing' | 'finished' | 'error';

/** All job statuses, in the order a job goes through them. */
export const JOB_STATUSES: readonly JobStatus[] = ['started', 'processing', 'finished', 'error'];

/** The lifecycle operations a job can run. */
export type Operation = 'instantiate' | 'terminate' | 'scale' | 'heal' | 'operate';

/** All operations, in a stable order. */
export const OPERATIONS: readonly Operation[] = ['instantiate', 'terminate', 'scale', 'heal', 'operate'];

/** ONAP convention: progress 100 means finished, 255 means error. */
export const PROGRESS_FINISHED = 100;
export const PROGRESS_ERROR = 255;

/** One entry of a job's append-only history; `responseId` counts from 1 per job. */
export interface JobEntry {
  responseId: number;
  status: JobStatus;
  /** Integer 0..100, or 255 on error. */
  progress: number;
  statusDescription: string;
  errorCode: string | null;
  /** ISO-8601 time of the change. */
  at: string;
}

/** A job as stored: identity, the request that started it, its latest entry and its checkpoint. */
export interface Job {
  jobId: string;
  operation: Operation;
  vnfInstanceId: string;
  vnfmId: string;
  /** The normalised request, kept so that an unfinished job can be resumed after a restart. */
  request: unknown;
  /** ONAP request id of the call that created the job. */
  requestId: string;
  latest: JobEntry;
  /** Last southbound checkpoint. */
  state?: Record<string, unknown>;
  createdAt: string;
  /** The replica that owns the job and the epoch of that ownership (absent when nobody owns it). */
  fence?: { replicaId: string; epoch: number };
}

/** True when the job will not change any more. */
export function isFinal(status: JobStatus): boolean {
  return status === 'finished' || status === 'error';
}

/** One history entry as rendered on the wire: responseId as a string, progress and errorCode as integers. */
interface RenderedEntry {
  status: JobStatus;
  progress: number;
  statusDescription: string;
  errorCode: number | null;
  responseId: string;
}

/** Renders one entry for the wire. */
function renderEntry(e: JobEntry): RenderedEntry {
  return {
    status: e.status,
    progress: e.progress,
    statusDescription: e.statusDescription,
    errorCode: wireErrorCode(e.errorCode),
    responseId: String(e.responseId),
  };
}

/** errorCode is an integer on the wire (docs/nslcm-contract.md §4 "Job polling"); a stored code that is not one is left out (null). */
export function wireErrorCode(stored: string | null): number | null {
  if (stored === null || !/^\d+$/.test(stored)) return null;
  return Number(stored);
}

/** One entry rendered as the JSON text of {@link renderEntry} (what a poll answer is made of). */
export function renderEntryJson(e: JobEntry): string {
  return JSON.stringify(renderEntry(e));
}

/**
 * The JSON text of the job descriptor of GET jobs/{jobId}?responseId=N (VNFM Driver API §3.4.2;
 * docs/nslcm-contract.md §4 "Job polling"), the one rendering of a poll answer:
 * `{jobId, responseDescriptor: {...latest entry, responseHistoryList: [entries newer
 * than N, newest first]}}`, each entry as {@link renderEntry} gives it. Built from entries already rendered with
 * {@link renderEntryJson}: `newestFirst` and `renderedNewestFirst` are the job's whole history (or at least the
 * latest entry and every entry newer than `afterResponseId`), newest first.
 */
export function jobDescriptorJson(
  jobId: string,
  newestFirst: readonly JobEntry[],
  renderedNewestFirst: readonly string[],
  afterResponseId: number,
): string {
  const latest = renderedNewestFirst[0];
  if (latest === undefined) throw new Error(`job ${jobId} has no history`);
  let list = '';
  for (let i = 0; i < newestFirst.length && newestFirst[i].responseId > afterResponseId; i++) {
    list += i === 0 ? renderedNewestFirst[i] : `,${renderedNewestFirst[i]}`;
  }
  return `{"jobId":${JSON.stringify(jobId)},"responseDescriptor":${latest.slice(0, -1)},"responseHistoryList":[${list}]}}`;
}
