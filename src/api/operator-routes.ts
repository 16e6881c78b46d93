import { Router, type Request } from 'express';
import { JOB_STATUSES, OPERATIONS } from '../jobs/job-model';
import type { StoreListing } from '../jobs/store-listing';
import { InvalidCursorError } from '../jobs/store-listing';
import { VNF_STATUSES, type VnfRecord } from '../vnfs/vnf-record';
import { HttpError } from './http-errors';
import { toExpressPath } from './route-table';

/** Page size when `limit` is absent, and the largest one accepted. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** A VNF as listed: its record without the southbound's free-form attributes. */
export type VnfSummary = Omit<VnfRecord, 'attributes'>;

/**
 * The operator's questions (`GET …/{vnfmid}/vnfs`, `GET …/{vnfmid}/jobs`): what this driver holds for one VNFM,
 * newest first, filtered by `status` (and `operation` for jobs; comma-separated values, any of them), paged by
 * `limit` and the `cursor` of the previous page's `nextCursor`.
 */
export function operatorRouter(store: StoreListing): Router {
  const r = Router({ mergeParams: true });
  r.get(toExpressPath('/{vnfmid}/vnfs'), async (req, res) => {
    const page = await listed(() =>
      store.listVnfs({
        vnfmId: vnfmIdOf(req),
        statuses: listParam(req, 'status', VNF_STATUSES),
        limit: limitOf(req),
        cursor: cursorOf(req),
      }),
    );
    res.status(200).json({ vnfs: page.items.map(summaryOf), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  });
  r.get(toExpressPath('/{vnfmid}/jobs'), async (req, res) => {
    const page = await listed(() =>
      store.listJobs({
        vnfmId: vnfmIdOf(req),
        statuses: listParam(req, 'status', JOB_STATUSES),
        operations: listParam(req, 'operation', OPERATIONS),
        limit: limitOf(req),
        cursor: cursorOf(req),
      }),
    );
    res.status(200).json({ jobs: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  });
  return r;
}

function summaryOf(vnf: VnfRecord): VnfSummary {
  const { attributes: _attributes, ...summary } = vnf;
  return summary;
}

async function listed<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof InvalidCursorError) throw badQuery('cursor', 'cursor must be the nextCursor of a previous page');
    throw err;
  }
}

function vnfmIdOf(req: Request): string {
  return (req.params as Record<string, string>).vnfmid;
}

function badQuery(field: string, reason: string): HttpError {
  return new HttpError(400, `invalid request: ${field}`, [{ field, reason }]);
}

/** A query parameter given at most once, as text; undefined when absent or empty. */
function single(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw badQuery(name, `${name} must be given once`);
  return raw;
}

function limitOf(req: Request): number {
  const raw = single(req, 'limit');
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const n = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_PAGE_SIZE)) throw badQuery('limit', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  return n;
}

function cursorOf(req: Request): string | undefined {
  const raw = single(req, 'cursor');
  if (raw !== undefined && !/^[A-Za-z0-9_-]{1,512}$/.test(raw))
    throw badQuery('cursor', 'cursor must be the nextCursor of a previous page');
  return raw;
}

/** A comma-separated filter whose every value is one of `allowed`. */
function listParam<T extends string>(req: Request, name: string, allowed: readonly T[]): T[] | undefined {
  const raw = single(req, name);
  if (raw === undefined) return undefined;
  const values = raw.split(',').map((v) => v.trim());
  const unknown = values.filter((v) => !(allowed as readonly string[]).includes(v));
  if (unknown.length > 0)
    throw badQuery(name, `${name} must be one or more of ${allowed.join(', ')} (comma-separated); got "${unknown[0]}"`);
  return values as T[];
}
