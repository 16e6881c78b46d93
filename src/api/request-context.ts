import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Log } from '../logging/log';

/** Header NSLCM sets with the ONAP request id; X-TransactionID is read when it is absent. */
export const REQUEST_ID_HEADER = 'X-ONAP-RequestID';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the ONAP request id from the request (X-ONAP-RequestID, else X-TransactionID) or generates one,
 * echoes it in the response and puts a child logger carrying it in `res.locals.log`.
 */
export function requestContext(log: Log): RequestHandler {
  return (req, res, next) => {
    const given = req.get(REQUEST_ID_HEADER) ?? req.get('X-TransactionID');
    const requestId = given && SAFE_ID.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.locals.log = log.child({ requestId });
    res.set(REQUEST_ID_HEADER, requestId);
    if (req.get('X-TransactionID')) res.set('X-TransactionID', requestId);
    next();
  };
}

/** Logs one line per request when its answer is finished: method, path, status and duration in ms. */
export function requestLogger(): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const log = res.locals.log as Log;
      log.info('request', { method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10 });
    });
    next();
  };
}

/** The request id and logger of the current request (set by `requestContext`). */
export function contextOf(res: { locals: Record<string, unknown> }): { requestId: string; log: Log } {
  return { requestId: res.locals.requestId as string, log: res.locals.log as Log };
}
