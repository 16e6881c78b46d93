import type { ErrorRequestHandler, RequestHandler } from 'express';
import { LifecycleError, type LifecycleErrorCode } from '../lifecycle/lifecycle-errors';
import type { Log } from '../logging/log';

/** One problem with the request: the field (dotted path, or `body`/`path`) and why. */
export interface ErrorDetail {
  field: string;
  reason: string;
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: string;
  details: ErrorDetail[];
}

/** An error answered with an HTTP status and the documented JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

const LIFECYCLE_STATUS: Record<LifecycleErrorCode, number> = {
  SOUTHBOUND_UNAVAILABLE: 503,
  VNF_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  OPERATION_IN_PROGRESS: 409,
  VNF_NOT_OPERABLE: 409,
  REQUEST_NOT_APPLICABLE: 400,
};

/** Answers 404 JSON for any route that does not exist. */
export const notFoundHandler: RequestHandler = (req) => {
  throw new HttpError(404, `no route ${req.method} ${req.path}`, [{ field: 'path', reason: 'no such route' }]);
};

/** Maps body-parser failures (express.json) to 400/413 and anything else unexpected to 500. */
function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof LifecycleError) {
    return new HttpError(LIFECYCLE_STATUS[err.code], err.message, err.field ? [{ field: err.field, reason: err.message }] : [], {
      cause: err,
    });
  }
  const e = err as { type?: string; status?: number; limit?: number; message?: string };
  if (e?.type === 'entity.too.large') {
    return new HttpError(413, `request body is larger than the limit of ${e.limit ?? '?'} bytes`, [{ field: 'body', reason: 'too large' }]);
  }
  if (e?.type === 'entity.parse.failed') {
    return new HttpError(400, 'request body is not valid JSON', [{ field: 'body', reason: 'malformed JSON' }]);
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new HttpError(e.status, `request body rejected: ${e.message ?? 'bad request'}`, [
      { field: 'body', reason: e.type ?? 'rejected' },
    ]);
  }
  return new HttpError(500, 'internal error', [], { cause: err });
}

/**
 * The one error handler: every error becomes `{error, details}` with its status, its texts masked through `redact`
 * (secrets by value, URL user-info); 5xx are logged with the cause.
 */
export function errorHandler(log: Log, redact: (text: string) => string): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const httpError = toHttpError(err);
    const reqLog = (res.locals.log as Log | undefined) ?? log;
    if (httpError.status >= 500) {
      const cause = err instanceof Error ? (err.stack ?? err.message) : String(err);
      reqLog.error('request failed', { status: httpError.status, cause });
    }
    if (res.headersSent) return;
    const body: ErrorBody = {
      error: redact(httpError.message),
      details: httpError.details.map((d) => ({ field: redact(d.field), reason: redact(d.reason) })),
    };
    res.status(httpError.status).json(body);
  };
}
