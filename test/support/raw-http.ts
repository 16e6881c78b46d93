import http from 'node:http';

/** An answer as received: status, headers and body text. */
export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Options of {@link startRawRequest}. */
export interface RawRequestOptions {
  headers?: Record<string, string>;
  /** JSON text sent as the body (with its Content-Type and Content-Length). */
  body?: string;
  /** node:http agent; false for a connection of its own (default: the global agent). */
  agent?: http.Agent | false;
}

/** Sends one request to 127.0.0.1:`port` with node:http; returns the answer's promise and the request (to destroy it). */
export function startRawRequest(
  port: number,
  method: string,
  path: string,
  opts: RawRequestOptions = {},
): { answer: Promise<RawAnswer>; req: http.ClientRequest } {
  let req!: http.ClientRequest;
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    const headers =
      opts.body === undefined
        ? { ...opts.headers }
        : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(opts.body)), ...opts.headers };
    req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: opts.agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
  return { answer, req };
}

/** Sends one request and resolves with its answer. */
export function rawRequest(port: number, method: string, path: string, opts: RawRequestOptions = {}): Promise<RawAnswer> {
  return startRawRequest(port, method, path, opts).answer;
}
