import type { RequestHandler } from 'express';
import type { LifecycleService } from '../lifecycle/lifecycle-service';
import type { Log } from '../logging/log';
import { parseResponseId } from './lifecycle-routes';
import {
  echoesTransactionId, logRequestLine, REQUEST_ID_HEADER, requestIdOf, startRequestContext, TRANSACTION_ID_HEADER,
} from './request-context';

const RESPONSE_ID_PARAM = 'responseId=';

/**
 * N of the query string NSLCM sends on every poll, `responseId=N` alone with N of 1 to 15 digits, read without
 * allocating; -1 for any other query string (parsed the long way, as the generic route does).
 */
export function plainResponseId(url: string, queryStart: number): number {
  if (!url.startsWith(RESPONSE_ID_PARAM, queryStart)) return -1;
  const first = queryStart + RESPONSE_ID_PARAM.length;
  const digits = url.length - first;
  if (digits < 1 || digits > 15) return -1;
  let n = 0;
  for (let i = first; i < url.length; i++) {
    const d = url.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const JSON_UTF8 = 'application/json; charset=utf-8';

/** True when `url` has the lower-case ASCII text `lower` at `at`, letters compared without case. */
function hasFolded(url: string, lower: string, at: number): boolean {
  if (url.length < at + lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = url.charCodeAt(at + i);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** End of the path segment starting at `from` (at '/', '?' or the end); -1 when it holds '%' or '#' (left to Express). */
function segmentEnd(url: string, from: number): number {
  for (let i = from; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x2f || c === 0x3f) return i;
    if (c === 0x25 || c === 0x23) return -1;
  }
  return url.length;
}

/**
 * The jobId and the query start (-1 for none) of `/api/<vnfmType>/v1/{vnfmid}/jobs/{jobId}[/][?query]`, matched as
 * Express matches the lifecycle route (literal parts without case, one trailing slash allowed) but only for
 * ids needing no decoding; undefined otherwise (Express's router then handles the request).
 */
export function matchPollPath(url: string, vnfmType: string): { jobId: string; queryStart: number } | undefined {
  if (!hasFolded(url, '/api/', 0) || !url.startsWith(vnfmType, 5)) return undefined;
  let i = 5 + vnfmType.length;
  if (!hasFolded(url, '/v1/', i)) return undefined;
  i += 4;
  const vnfmEnd = segmentEnd(url, i);
  if (vnfmEnd <= i || !hasFolded(url, '/jobs/', vnfmEnd)) return undefined;
  i = vnfmEnd + 6;
  const jobEnd = segmentEnd(url, i);
  if (jobEnd <= i) return undefined;
  const jobId = url.slice(i, jobEnd);
  i = jobEnd;
  if (url.charCodeAt(i) === 0x2f) i++;
  if (i === url.length) return { jobId, queryStart: -1 };
  return url.charCodeAt(i) === 0x3f ? { jobId, queryStart: i + 1 } : undefined;
}

/**
 * The job-status poll `GET /api/{vnfmtype}/v1/{vnfmid}/jobs/{jobId}?responseId=N`, NSLCM's most frequent request,
 * as a middleware mounted right after the metrics middleware: it skips the generic chain (request context
 * middleware, body parser, vnfm type check, service and docs routers, the other lifecycle routes) and Express's
 * route layer (it matches the path itself, see {@link matchPollPath}), and answers from JSON text the store
 * renders. It answers exactly as the lifecycle router's route does: same body, status codes and headers (the
 * request id echoed), one request log line, errors through the same error handler. Anything it does not match
 * (another vnfm type, ids needing decoding, other methods) goes on to the generic chain unchanged.
 * `req.route` is set as Express sets it for a matched route, so that the metrics `route` label is the route
 * pattern `/api/<type>/v1/:vnfmid/jobs/:jobId`.
 */
export function jobPollMiddleware(vnfmType: string, lifecycle: LifecycleService, log: Log): RequestHandler {
  const route = Object.freeze({ path: `/api/${vnfmType}/v1/:vnfmid/jobs/:jobId` });
  return (req, res, next) => {
    const method = req.method;
    const match = method === 'GET' || method === 'HEAD' ? matchPollPath(req.url, vnfmType) : undefined;
    if (!match) {
      next();
      return;
    }
    (req as { route?: unknown }).route = route;
    const started = process.hrtime.bigint();
    let body: string;
    try {
      const plain = match.queryStart < 0 ? -1 : plainResponseId(req.url, match.queryStart);
      const after = plain >= 0 ? plain : parseResponseId(req.query.responseId);
      body = lifecycle.jobDescriptorJson(match.jobId, after);
    } catch (err) {
      // Answered by the error handler, with the context it expects and the log line once the answer is out.
      startRequestContext(log, req, res, started);
      throw err;
    }
    if (req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) {
      // A conditional request: Express's send decides on 304, as it does for res.json.
      startRequestContext(log, req, res, started);
      res.status(200).type('application/json').send(body);
      return;
    }
    const requestId = requestIdOf(req);
    const headers = echoesTransactionId(req)
      ? [REQUEST_ID_HEADER, requestId, TRANSACTION_ID_HEADER, requestId, 'Content-Type', JSON_UTF8, 'Content-Length', String(Buffer.byteLength(body))]
      : [REQUEST_ID_HEADER, requestId, 'Content-Type', JSON_UTF8, 'Content-Length', String(Buffer.byteLength(body))];
    res.writeHead(200, headers);
    if (method === 'HEAD') res.end();
    else res.end(body);
    logRequestLine(log, req, 200, requestId, started, 'debug');
  };
}
