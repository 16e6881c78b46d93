import { request as undiciRequest } from 'undici';
import type { Schedule } from '../async/turn-scheduler';
import { requestDeadline } from '../http/request-deadline';
import { urlUnder } from '../http/url-path';
import type { Log } from '../logging/log';
import { onapHeaders } from '../tracing/onap-headers';
import { NslcmError } from './nslcm-errors';
import { excerptBody, stripUrlCredentials } from '../logging/redact';
import { AbortedError, RetriesExhaustedError, retryWithBackoff, type RetryPolicy } from './retry-policy';

/** Settings of an {@link HttpCaller}. */
export interface HttpCallerOptions {
  /** e.g. `http://msb:80`; requests are made to `${baseUrl}${path}`, which must stay below the base's path. */
  baseUrl: string;
  /** Per-attempt timeout in ms, covering connect, headers and body. */
  timeoutMs: number;
  retry: RetryPolicy;
  log: Log;
  /** Sent as X-ONAP-PartnerName on every call (the service name, VNFM_TYPE). */
  partnerName: string;
  random?: () => number;
  /**
   * The service's turns (src/async/turn-scheduler.ts): an answer (or failure) is handed back in its turn, so that
   * what the caller does next does not run in the socket read that completed the call. Default: at once.
   */
  schedule?: Schedule;
}

/** One request. */
export interface HttpCall {
  /** Operation name used in errors and logs. */
  call: string;
  method: Method;
  path: string;
  body?: unknown;
  /** Statuses that count as success; anything else becomes an {@link NslcmError}. */
  expect: readonly number[];
  signal?: AbortSignal;
  /** Single attempt (the caller retries itself, e.g. the Notify outbox). */
  noRetry?: boolean;
}

/** The HTTP methods the driver's calls use. */
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A successful answer. */
export interface HttpAnswer {
  status: number;
  data: unknown;
}

/** Transport failure or timeout of one attempt (retryable). */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

/**
 * JSON-over-HTTP calls with a timeout on every attempt and retries (connection errors, timeouts, 5xx)
 * with exponential backoff + jitter. 4xx answers are never retried. Abortable through `signal`. Every attempt
 * carries ONAP's tracing headers: the request id of the work it belongs to (src/tracing/trace-context.ts),
 * a fresh X-InvocationID and our name as X-ONAP-PartnerName.
 */
export class HttpCaller {
  private readonly safeBase: string;
  /** Basic credentials from the base URL's user-info (sent as Authorization, never as part of the URL). */
  private readonly authorization?: string;

  constructor(private readonly opts: HttpCallerOptions) {
    this.safeBase = stripUrlCredentials(opts.baseUrl).replace(/\/$/, '');
    this.authorization = basicAuthOf(opts.baseUrl);
  }

  /** Full URL of `path` without credentials, for errors and logs. */
  urlFor(path: string): string {
    return `${this.safeBase}${path}`;
  }

  /**
   * Performs the call; resolves with the answer when its status is in `expect`. A path that would leave the
   * base path is refused before anything is sent (UnsafeUrlError).
   */
  async request(req: HttpCall): Promise<HttpAnswer> {
    const target = urlUnder(this.opts.baseUrl, req.path);
    const url = `${this.safeBase}${req.path}`;
    const policy = req.noRetry ? { ...this.opts.retry, maxAttempts: 1 } : this.opts.retry;
    try {
      return await retryWithBackoff((attempt) => this.attempt(req, target, url, attempt), {
        policy,
        signal: req.signal,
        random: this.opts.random,
        isRetryable: (err) => err instanceof AttemptError || (err instanceof NslcmError && !!err.status && err.status >= 500),
        onRetry: (err, attempt, delayMs) =>
          this.opts.log.warn('NSLCM call failed, retrying', { call: req.call, url, attempt, delayMs, error: (err as Error).message }),
      });
    } catch (err) {
      throw this.finalError(req, url, err);
    } finally {
      const schedule = this.opts.schedule;
      if (schedule) await new Promise<void>((resolve) => schedule(resolve));
    }
  }

  private async attempt(req: HttpCall, target: string, url: string, attempt: number): Promise<HttpAnswer> {
    const deadline = requestDeadline(this.opts.timeoutMs, req.signal);
    try {
      const res = await this.send(req, target, deadline.signal);
      if (req.expect.includes(res.status)) return { status: res.status, data: res.data };
      throw new NslcmError(`unexpected HTTP ${res.status}`, {
        call: req.call,
        url,
        status: res.status,
        bodyExcerpt: excerptBody(res.data),
        attempts: attempt,
      });
    } catch (err) {
      if (err instanceof NslcmError) throw err;
      if (req.signal?.aborted) throw new AbortedError(`${req.call} ${url}`);
      const timedOut = deadline.timedOut();
      const msg = timedOut ? `timed out after ${this.opts.timeoutMs} ms` : `connection failed: ${describe(err)}`;
      // Not the HTTP client's error itself: it carries the request's configuration, the URL's user-info among it.
      throw new AttemptError(msg, timedOut, safeCause(err));
    } finally {
      deadline.release();
    }
  }

  /**
   * One request through undici (keep-alive connections of its global dispatcher, no redirects followed, no proxy):
   * the body is sent as JSON, the answer read whole and parsed as JSON when it is JSON (else kept as text).
   */
  private async send(req: HttpCall, target: string, signal: AbortSignal): Promise<{ status: number; data: unknown }> {
    const headers: Record<string, string> = { accept: 'application/json', ...onapHeaders(this.opts.partnerName) };
    if (this.authorization) headers.authorization = this.authorization;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const res = await undiciRequest(withoutUserInfo(target), { method: req.method, headers, body, signal });
    const text = await res.body.text();
    return { status: res.statusCode, data: parseJsonOrText(text) };
  }

  private finalError(req: HttpCall, url: string, err: unknown): Error {
    if (err instanceof AbortedError) return err;
    const attempts = err instanceof RetriesExhaustedError ? err.attempts : 1;
    const last = err instanceof RetriesExhaustedError ? err.lastError : err;
    if (last instanceof NslcmError) {
      return new NslcmError(`unexpected HTTP ${last.status} after ${attempts} attempt(s)`, {
        call: req.call,
        url,
        status: last.status,
        bodyExcerpt: last.bodyExcerpt,
        attempts,
        cause: last,
      });
    }
    const what = last instanceof Error ? last.message : String(last);
    return new NslcmError(`${what} (after ${attempts} attempt(s))`, { call: req.call, url, attempts, cause: last });
  }
}

/** The answer's JSON value; its text when it is not JSON (an empty body is ''). */
function parseJsonOrText(text: string): unknown {
  if (text === '') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `Basic …` for a URL with user-info (percent-decoded, as browsers and HTTP clients take it), else undefined. */
function basicAuthOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!parsed.username && !parsed.password) return undefined;
  const pair = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/** `url` without its user-info (the credentials go in the Authorization header). */
function withoutUserInfo(url: string): string {
  if (!url.includes('@')) return url;
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

/** What may be kept of a transport failure: its code and message without user-info, nothing of the request. */
function safeCause(err: unknown): Error {
  const cause = new Error(describe(err));
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') Object.assign(cause, { code });
  return cause;
}

function describe(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { code?: string; message?: string };
    return stripUrlCredentials([e.code, e.message].filter(Boolean).join(' ') || 'unknown error');
  }
  return String(err);
}
