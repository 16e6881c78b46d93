import type { VnfRecord, VnfStatus } from '../vnfs/vnf-record';
import type { JobStatus, Operation } from './job-model';

/** One page of a listing, newest first; `nextCursor` is present when there are older items. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Which jobs of one VNFM to list: filters (any of the values given), page size and where the last page ended. */
export interface JobQuery {
  vnfmId: string;
  statuses?: readonly JobStatus[];
  operations?: readonly Operation[];
  limit: number;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
}

/** Which VNFs of one VNFM to list. */
export interface VnfQuery {
  vnfmId: string;
  statuses?: readonly VnfStatus[];
  limit: number;
  cursor?: string;
}

/** A job as listed: what it is and its latest entry, without its request or checkpoint. */
export interface JobSummary {
  jobId: string;
  operation: Operation;
  vnfInstanceId: string;
  vnfmId: string;
  requestId: string;
  status: JobStatus;
  progress: number;
  statusDescription: string;
  /** The failure class (an integer, README "Failures and errorCode"); null until the job fails. */
  errorCode: number | null;
  responseId: number;
  createdAt: string;
  updatedAt: string;
}

/** Listings of jobs and VNF records, newest first. Asynchronous, as every store method. */
export interface StoreListing {
  listJobs(query: JobQuery): Promise<Page<JobSummary>>;
  listVnfs(query: VnfQuery): Promise<Page<VnfRecord>>;
}

/** A cursor is not one this store handed out. */
export class InvalidCursorError extends Error {
  readonly code = 'INVALID_CURSOR';
  constructor() {
    super('cursor is not one a previous page returned');
    this.name = 'InvalidCursorError';
  }
}

/** Where a page ended: creation time and id of its last (oldest) item. */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

/** Opaque text of a position (base64url of its JSON). */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

/** The position of a cursor; throws {@link InvalidCursorError} for anything this store did not hand out. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // not base64url JSON
  }
  throw new InvalidCursorError();
}

/** Cuts the one-too-many rows read for a page into the page and the cursor of its last item. */
export function pageOf<R, T>(rows: R[], limit: number, toItem: (row: R) => T, positionOf: (row: R) => CursorPosition): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const page: Page<T> = { items: kept.map(toItem) };
  if (more) page.nextCursor = encodeCursor(positionOf(kept[kept.length - 1]));
  return page;
}
