/** Errors raised by the NSLCM / catalog client. They never carry passwords or URL credentials. */

/** Context of a failed call to NSLCM or the catalog. */
export interface NslcmErrorContext {
  /** Name of the client operation, e.g. `grantVnf`. */
  call: string;
  /** Request URL with any user-info removed. */
  url: string;
  /** HTTP status when NSLCM answered. */
  status?: number;
  /** First characters of the response body, passwords redacted. */
  bodyExcerpt?: string;
  /** Number of attempts made before giving up. */
  attempts?: number;
  cause?: unknown;
}

/** A call to NSLCM (or the catalog through MSB) failed: transport error, timeout or unexpected status. */
export class NslcmError extends Error {
  readonly call: string;
  readonly url: string;
  readonly status?: number;
  readonly bodyExcerpt?: string;
  readonly attempts?: number;

  constructor(message: string, ctx: NslcmErrorContext) {
    super(`${ctx.call} ${ctx.url}: ${message}`, { cause: ctx.cause });
    this.name = 'NslcmError';
    this.call = ctx.call;
    this.url = ctx.url;
    this.status = ctx.status;
    this.bodyExcerpt = ctx.bodyExcerpt;
    this.attempts = ctx.attempts;
  }

  /** True for a 4xx answer other than 408/429: sending the same request again cannot help. */
  get permanent(): boolean {
    return this.status !== undefined && isPermanentStatus(this.status);
  }
}

/** NSLCM refused the grant (HTTP 409); `reason` is NSLCM's `error` text. */
export class GrantRefusedError extends NslcmError {
  readonly reason: string;

  constructor(reason: string, ctx: NslcmErrorContext) {
    super(`grant refused by NSLCM: ${reason}`, ctx);
    this.name = 'GrantRefusedError';
    this.reason = reason;
  }
}

/** 4xx answers that will not change on retry (408 and 429 are transient). */
export function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}
