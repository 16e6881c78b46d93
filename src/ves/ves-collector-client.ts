import fs from 'node:fs';
import { Agent, request } from 'undici';
import { requestDeadline } from '../http/request-deadline';
import { excerptBody, stripUrlCredentials } from '../logging/redact';
import type { VesEvent } from './ves-event-format';

/** Path of one event and of a batch below the collector's base URL (VES 7 event listener). */
export const VES_SINGLE_PATH = '/eventListener/v7';
export const VES_BATCH_PATH = '/eventListener/v7/eventBatch';

/** How to reach the VES collector. */
export interface VesCollectorOptions {
  /** e.g. `https://dcae-ves-collector:8443` (VES_URL). */
  baseUrl: string;
  /** HTTP basic credentials (VES_USER, VES_PASSWORD); none when the user is unset. */
  user?: string;
  password?: string;
  /** PEM file of the CAs the collector's certificate is checked against (VES_CA_FILE); default: Node's CAs. */
  caFile?: string;
  /** Accept any certificate (VES_TLS_INSECURE). */
  tlsInsecure?: boolean;
  /** Timeout of each POST, covering connect, headers and body (HTTP_TIMEOUT_MS). */
  timeoutMs: number;
}

/** 4xx answers that ask to try later: request timeout, too many requests. */
const RETRIED_4XX = new Set([408, 429]);

/** A POST to the collector failed; `permanent` when sending the same events again cannot help. */
export class VesDeliveryError extends Error {
  readonly code = 'VES_DELIVERY';
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | undefined,
    readonly bodyExcerpt: string | undefined,
  ) {
    super(`${message} (${url})`);
    this.name = 'VesDeliveryError';
  }

  /**
   * A 4xx that refuses these events (400 and the like): sending them again cannot help. Not 408 and 429 (try later),
   * nor 401, 403 and 404, which say the driver's VES settings or the collector's are wrong, not the events: those
   * wait, retried, until the settings are put right.
   */
  get permanent(): boolean {
    return this.status !== undefined && this.status >= 400 && this.status < 500 && !RETRIED_4XX.has(this.status) && !this.misconfigured;
  }

  /** 401, 403 or 404: the credentials or the URL are wrong (VES_URL, VES_USER, VES_PASSWORD, or the collector's). */
  get misconfigured(): boolean {
    return this.status === 401 || this.status === 403 || this.status === 404;
  }
}

/** The VES_CA_FILE cannot be read. */
export class VesCaFileError extends Error {
  readonly code = 'VES_CA_FILE';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot read VES_CA_FILE ${path}: ${(cause as Error).message}`, { cause });
    this.name = 'VesCaFileError';
  }
}

/** Posts VES events, one attempt per call: `{event}` to /eventListener/v7, `{eventList}` to /eventBatch when several. */
export class VesCollectorClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  /** Keep-alive connections to the collector; for HTTPS with the configured CAs and certificate check. */
  private readonly dispatcher: Agent;

  constructor(private readonly opts: VesCollectorOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    const auth = opts.user ? `Basic ${Buffer.from(`${opts.user}:${opts.password ?? ''}`).toString('base64')}` : undefined;
    this.headers = { 'content-type': 'application/json', accept: 'application/json', ...(auth ? { authorization: auth } : {}) };
    this.dispatcher = new Agent(
      this.base.startsWith('https:') ? { connect: { ca: readCa(opts.caFile), rejectUnauthorized: !opts.tlsInsecure } } : {},
    );
  }

  /** Closes the kept-alive connections. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /** The collector's base URL without credentials (for logs). */
  get target(): string {
    return stripUrlCredentials(this.base);
  }

  /** Sends the events in one POST; resolves on 2xx, rejects with {@link VesDeliveryError} otherwise. */
  async post(events: readonly VesEvent[], signal?: AbortSignal): Promise<void> {
    const batch = events.length > 1;
    const path = batch ? VES_BATCH_PATH : VES_SINGLE_PATH;
    const url = `${this.target}${path}`;
    const deadline = requestDeadline(this.opts.timeoutMs, signal);
    try {
      const res = await request(url, {
        method: 'POST',
        headers: this.headers,
        body: JSON.stringify(batch ? { eventList: events } : { event: events[0] }),
        dispatcher: this.dispatcher,
        signal: deadline.signal,
      });
      const text = await res.body.text();
      if (res.statusCode >= 200 && res.statusCode < 300) return;
      throw new VesDeliveryError(`VES collector answered HTTP ${res.statusCode}`, url, res.statusCode, excerptBody(text));
    } catch (err) {
      if (err instanceof VesDeliveryError) throw err;
      const why = deadline.timedOut()
        ? `timed out after ${this.opts.timeoutMs} ms`
        : signal?.aborted
          ? 'aborted'
          : `connection failed: ${describe(err)}`;
      // Not the HTTP client's error itself: it carries the request's headers, the basic credentials among them.
      throw new VesDeliveryError(why, url, undefined, undefined);
    } finally {
      deadline.release();
    }
  }
}

function readCa(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new VesCaFileError(file, err);
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string } | null;
  return stripUrlCredentials([e?.code, e?.message].filter(Boolean).join(' ') || 'unknown error');
}
