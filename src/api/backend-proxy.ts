import http, { type IncomingHttpHeaders, type RequestListener } from 'node:http';
import type { ErrorBody } from './http-errors';
import { pathOf } from './request-context';
import { JSON_UTF8 } from './request-listener';

/** Settings of {@link createBackendProxy}. */
export interface BackendProxyOptions {
  /** Port of the backend HTTP server on 127.0.0.1. */
  port: number;
  /** Longest wait for the backend's answer to begin, and for any pause in its transfer, ms. */
  timeoutMs: number;
  /** Told about each request the backend could not answer (never with headers or bodies). */
  onFailure?: (failure: { method: string; path: string; status: number; reason: string }) => void;
}

/** A request listener that forwards to the backend, and the way to release its connections. */
export interface BackendProxy {
  listener: RequestListener;
  close(): void;
}

/** Connection-scoped headers (RFC 9110 §7.6.1): never forwarded, each hop sets its own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Forwards requests unchanged to an HTTP server on 127.0.0.1 and streams its answers back: method, path and
 * query, headers (but the connection-scoped ones) and body, with the caller's address appended to
 * X-Forwarded-For. Keep-alive connections to the backend are reused. When the backend cannot be reached or
 * does not answer within `timeoutMs`, the caller gets 502 or 504 with the API's JSON error body; when the
 * caller goes away first, the backend request is aborted (an operation request not yet admitted is then
 * dropped unrecorded, as when the caller reaches the backend directly).
 */
export function createBackendProxy(opts: BackendProxyOptions): BackendProxy {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  const listener: RequestListener = (req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const headers = forwardedHeaders(req.headers, req.socket.remoteAddress);
    const upstream = http.request({ host: '127.0.0.1', port: opts.port, method, path: url, headers, agent, timeout: opts.timeoutMs });
    let answered = false;
    const fail = (status: 502 | 504, reason: string): void => {
      if (answered) return;
      answered = true;
      opts.onFailure?.({ method, path: pathOf(url), status, reason });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const body: ErrorBody = {
        error: status === 504 ? 'the service did not answer in time' : 'the service could not take the request',
        details: [{ field: 'request', reason }],
      };
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': JSON_UTF8, 'Content-Length': Buffer.byteLength(text) }).end(text);
    };
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders, answer.headers.connection));
      // Streamed by hand so that the idle timeout only runs while the backend is the one being waited for: while
      // the caller is slow to read, the backend is paused and its silence is no failure.
      answer.on('data', (chunk: Buffer) => {
        if (res.write(chunk)) return;
        answer.pause();
        upstream.setTimeout(0);
        res.once('drain', () => {
          upstream.setTimeout(opts.timeoutMs);
          answer.resume();
        });
      });
      answer.on('end', () => {
        answered = true;
        res.end();
      });
      answer.on('error', () => fail(502, 'the answer was cut off'));
    });
    upstream.on('timeout', () => {
      fail(504, `no answer within ${opts.timeoutMs} ms`);
      upstream.destroy();
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => fail(502, err.code ?? err.message));
    res.on('close', () => {
      if (res.writableFinished) return;
      answered = true; // the caller went away: nobody to answer, nothing to report
      upstream.destroy();
    });
    req.pipe(upstream);
  };
  return { listener, close: () => agent.destroy() };
}

/** The request headers to send on: lower-case names, connection-scoped ones left out, X-Forwarded-For extended. */
function forwardedHeaders(given: IncomingHttpHeaders, remoteAddress: string | undefined): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  const named = namedByConnection(given.connection);
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) headers[name] = value;
  }
  if (remoteAddress) {
    const before = given['x-forwarded-for'];
    headers['x-forwarded-for'] = before ? `${Array.isArray(before) ? before.join(', ') : before}, ${remoteAddress}` : remoteAddress;
  }
  return headers;
}

/** The answer's headers as received (names in their case, in order), connection-scoped ones left out. */
function endToEnd(rawHeaders: string[], connection: string | undefined): string[] {
  const named = namedByConnection(connection);
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!HOP_BY_HOP.has(name) && !named.has(name)) kept.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return kept;
}

/** The header names a Connection header lists (they are connection-scoped too), lower case. */
function namedByConnection(connection: string | string[] | undefined): Set<string> {
  const named = new Set<string>();
  for (const value of Array.isArray(connection) ? connection : connection === undefined ? [] : [connection]) {
    for (const token of value.split(',')) {
      const name = token.trim().toLowerCase();
      if (name !== '') named.add(name);
    }
  }
  return named;
}
