import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { LifecycleService } from '../lifecycle/lifecycle-service';
import type { Log } from '../logging/log';
import { parseResponseId } from './lifecycle-routes';
import {
  echoesTransactionId, hasRequestContext, logRequestLine, REQUEST_ID_HEADER, requestIdOf, startRequestContext, TRANSACTION_ID_HEADER,
} from './request-context';

const RESPONSE_ID_PARAM = 'responseId=';

/**
 * N of the query string NSLCM sends on every poll, `responseId=N` alone with N of 1 to 15 digits, read without
 * allocating; -1 for any other query string (parsed the long way, as the generic route does).
 */
function plainResponseId(url: string, queryStart: number): number {
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

/** Escapes the characters path-to-regexp gives a meaning to. */
function literal(text: string): string {
  return text.replace(/[{}()[\]+?!:*\\]/g, '\\$&');
}

/** The app-level route of {@link jobPollRoute}: an Express path, its handler, and the error middleware to mount next. */
export interface JobPollRoute {
  path: string;
  handler: RequestHandler;
  /**
   * Gives errors raised while matching the route (an undecodable parameter), before any request context
   * exists, the request id echo and the request log line the generic chain gives them.
   */
  beforeContextErrors: ErrorRequestHandler;
}

/**
 * The job-status poll `GET /api/{vnfmtype}/v1/{vnfmid}/jobs/{jobId}?responseId=N` as an app-level route, so
 * that NSLCM's most frequent request skips the generic chain (request context middleware, body parser, vnfm
 * type check, service and docs routers, the other lifecycle routes) and is answered from JSON text the store
 * renders. It answers exactly as the generic chain does: same body, status codes and headers (the request id
 * echoed), one request log line, errors through the same error handler. A request whose vnfm type segment is
 * not exactly the configured one is passed on untouched to the generic chain, which answers 404.
 *
 * The path names the configured vnfm type literally, so the metrics `route` label is the one the nested
 * routers give (`/api/<type>/v1/:vnfmid/jobs/:jobId`). Mount it right after the metrics middleware.
 */
export function jobPollRoute(vnfmType: string, lifecycle: LifecycleService, log: Log): JobPollRoute {
  const typeStart = '/api/'.length;
  const typeEnd = typeStart + vnfmType.length;
  return {
    path: `/api/${literal(vnfmType)}/v1/:vnfmid/jobs/:jobId`,
    handler: (req, res, next) => {
      const url = req.url;
      // Paths match case-insensitively, but the vnfm type must be exactly the configured one.
      if (!url.startsWith(vnfmType, typeStart) || url.charCodeAt(typeEnd) !== SLASH) {
        (req as { route?: unknown }).route = undefined;
        next();
        return;
      }
      const started = process.hrtime.bigint();
      let body: string;
      try {
        const q = url.indexOf('?');
        const plain = q < 0 ? -1 : plainResponseId(url, q + 1);
        const after = plain >= 0 ? plain : parseResponseId(req.query.responseId);
        body = lifecycle.jobDescriptorJson((req.params as Record<string, string>).jobId!, after);
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
      if (req.method === 'HEAD') res.end();
      else res.end(body);
      logRequestLine(log, req, 200, requestId, started);
    },
    beforeContextErrors: (err, req, res, next) => {
      if (!hasRequestContext(res)) startRequestContext(log, req, res);
      next(err);
    },
  };
}

const JSON_UTF8 = 'application/json; charset=utf-8';
const SLASH = 0x2f;
