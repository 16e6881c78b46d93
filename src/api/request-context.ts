import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Log } from '../logging/log';
import { runTraced } from '../tracing/trace-context';

/** Header NSLCM sets with the ONAP request id; X-TransactionID is read when it is absent. */
export const REQUEST_ID_HEADER = 'X-ONAP-RequestID';
export const TRANSACTION_ID_HEADER = 'X-TransactionID';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The ONAP request id of a request: X-ONAP-RequestID, else X-TransactionID; a new UUID when the one found is
 * absent or not well-formed.
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-onap-requestid'] ?? req.headers['x-transactionid'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
}

/**
 * What the caller says of itself in ONAP's tracing headers: its X-InvocationID (the id of this call on its side)
 * and X-ONAP-PartnerName, when present and well-formed; logged with the request.
 */
export function callerTraceOf(req: IncomingMessage): { callerInvocationId?: string; partnerName?: string } {
  const out: { callerInvocationId?: string; partnerName?: string } = {};
  const invocation = req.headers['x-invocationid'];
  const partner = req.headers['x-onap-partnername'];
  if (typeof invocation === 'string' && SAFE_ID.test(invocation)) out.callerInvocationId = invocation;
  if (typeof partner === 'string' && SAFE_ID.test(partner)) out.partnerName = partner;
  return out;
}

/** True for the liveness and readiness probes (`…/health`), whose request lines are logged at debug. */
export function isHealthProbe(req: IncomingMessage & { originalUrl?: string }): boolean {
  return pathOf(req.originalUrl ?? req.url ?? '')
    .replace(/\/+$/, '')
    .endsWith('/health');
}

/** True when the caller sent X-TransactionID: the request id is then echoed in it too. */
export function echoesTransactionId(req: IncomingMessage): boolean {
  return !!req.headers['x-transactionid'];
}

/** Echoes the request id in X-ONAP-RequestID (and X-TransactionID when the caller sent that). */
export function echoRequestId(req: IncomingMessage, res: ServerResponse, requestId: string): void {
  res.setHeader(REQUEST_ID_HEADER, requestId);
  if (echoesTransactionId(req)) res.setHeader(TRANSACTION_ID_HEADER, requestId);
}

/**
 * The logger of one request: every line carries its request id. The winston child logger behind it is only
 * built when a handler logs something itself; the request line does not need it.
 */
export class RequestLog implements Log {
  private childLog?: Log;

  constructor(
    private readonly base: Log,
    readonly requestId: string,
  ) {}

  debug(message: string, meta?: Record<string, unknown>): unknown {
    return this.log().debug(message, meta);
  }

  info(message: string, meta?: Record<string, unknown>): unknown {
    return this.log().info(message, meta);
  }

  warn(message: string, meta?: Record<string, unknown>): unknown {
    return this.log().warn(message, meta);
  }

  error(message: string, meta?: Record<string, unknown>): unknown {
    return this.log().error(message, meta);
  }

  child(meta: Record<string, unknown>): Log {
    return this.log().child(meta);
  }

  private log(): Log {
    return (this.childLog ??= this.base.child({ requestId: this.requestId }));
  }
}

/**
 * The one line logged per request: method, path (no query), status, duration in ms (one decimal) since
 * `startedNs` (process.hrtime.bigint()) and the request id; the same fields as a child logger carrying the id.
 * At `info` unless told otherwise (answered job-status polls are logged at `debug`).
 */
export function logRequestLine(
  log: Log,
  req: IncomingMessage & { originalUrl?: string },
  status: number,
  requestId: string,
  startedNs: bigint,
  level: 'info' | 'debug' = 'info',
  caller: Record<string, string> = {},
): void {
  const ms = Number(process.hrtime.bigint() - startedNs) / 1e6;
  log[level]('request', {
    requestId,
    method: req.method,
    path: pathOf(req.originalUrl ?? req.url ?? ''),
    status,
    ms: Math.round(ms * 10) / 10,
    ...caller,
  });
}

/** A request URL without its query: what request lines and failure reports show. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Puts the request id and a logger carrying it in `res.locals`, for handlers and the error handler. */
export function setRequestLocals(res: { locals: Record<string, unknown> }, log: Log, requestId: string): void {
  res.locals.requestId = requestId;
  res.locals.log = new RequestLog(log, requestId);
}

/**
 * Sets up the context of one request: takes the ONAP request id from the request (X-ONAP-RequestID, else
 * X-TransactionID) or generates one, echoes it in the response, puts it and a logger carrying it in
 * `res.locals`, and logs one line once the answer is finished (method, path, status, duration in ms since
 * `startedNs`, the caller's X-InvocationID and X-ONAP-PartnerName), at debug for health probes.
 */
export function startRequestContext(
  log: Log,
  req: IncomingMessage & { originalUrl?: string },
  res: ServerResponse & { locals: Record<string, unknown> },
  startedNs = process.hrtime.bigint(),
): string {
  const requestId = requestIdOf(req);
  echoRequestId(req, res, requestId);
  setRequestLocals(res, log, requestId);
  const caller = callerTraceOf(req) as Record<string, string>;
  const level = isHealthProbe(req) ? 'debug' : 'info';
  res.once('finish', () => logRequestLine(log, req, res.statusCode, requestId, startedNs, level, caller));
  return requestId;
}

/**
 * Middleware running {@link startRequestContext} for every request that reaches it; the rest of the request is
 * handled in its trace, so that outgoing calls made to answer it carry its request id.
 */
export function requestContext(log: Log): RequestHandler {
  return (req, res, next) => {
    const requestId = startRequestContext(log, req, res);
    runTraced({ requestId, fields: {} }, next);
  };
}

/** The request id and logger of the current request (set by `requestContext`). */
export function contextOf(res: { locals: Record<string, unknown> }): { requestId: string; log: Log } {
  return { requestId: res.locals.requestId as string, log: res.locals.log as Log };
}
