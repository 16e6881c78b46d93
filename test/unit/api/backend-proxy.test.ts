import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { createBackendProxy, type BackendProxy, type BackendProxyOptions } from '../../../src/api/backend-proxy';
import { freePort } from '../../support/free-port';
import { rawRequest, startRawRequest } from '../../support/raw-http';
import { waitFor } from '../../support/waiting';

type Failure = Parameters<NonNullable<BackendProxyOptions['onFailure']>>[0];

/** A request as the backend received it, and its answer to give. */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  /** Body text received so far. */
  received: string;
  ended: boolean;
  res: http.ServerResponse;
  /** The answer was closed before it was finished (the request was aborted). */
  closedEarly: boolean;
}

interface Backend {
  port: number;
  seen: Seen[];
  connections: Socket[];
  /** Called once the whole request body has arrived; the default answers 200 with the method and URL. */
  reply: (s: Seen) => void;
}

interface Front {
  port: number;
  proxy: BackendProxy;
  failures: Failure[];
  connections: Socket[];
}

/** An answer as the caller received it. */
interface Reply {
  status: number;
  statusMessage: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  /** The whole answer arrived (false when it was cut off). */
  complete: boolean;
  reusedSocket: boolean;
}

interface CallOptions {
  headers?: http.OutgoingHttpHeaders;
  body?: string;
  /** Leave the request open for the test to write its body and end it. */
  open?: boolean;
  agent?: http.Agent | false;
  /** Called with the answer as soon as its headers arrive. */
  onResponse?: (res: http.IncomingMessage) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const until = (what: string, check: () => boolean, deadlineMs = 3000): Promise<void> => waitFor(check, deadlineMs, { what, pollMs: 5 });

/** The flat [name, value, ...] list without the named headers (case-insensitive). */
function without(rawHeaders: string[], names: string[]): string[] {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!drop.has(rawHeaders[i]!.toLowerCase())) kept.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return kept;
}

/** The values of every line of the named header, in order. */
function valuesOf(rawHeaders: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === name.toLowerCase()) values.push(rawHeaders[i + 1]!);
  }
  return values;
}

/** An HTTP exchange as text, without its Date lines (which change with the clock). */
const withoutDate = (text: string): string => text.replace(/^Date: [^\r]*\r\n/gm, '');

/** Text of `size` bytes made of numbered pieces, so that a lost, repeated or swapped piece shows. */
function patterned(size: number, pieceSize: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let i = 0; i * pieceSize < size; i++) {
    const label = `<${i}>`;
    const fill = String.fromCharCode(97 + (i % 26));
    pieces.push(Buffer.from(label + fill.repeat(pieceSize - label.length), 'latin1'));
  }
  return pieces;
}

describe('createBackendProxy', () => {
  const cleanups: Array<() => void | Promise<void>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function listen(server: net.Server): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  async function closeServer(server: http.Server): Promise<void> {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async function startBackend(): Promise<Backend> {
    const backend: Backend = {
      port: 0,
      seen: [],
      connections: [],
      reply: (s) => s.res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`answer to ${s.method} ${s.url}`),
    };
    const server = http.createServer((req, res) => {
      const s: Seen = { method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, received: '', ended: false, res, closedEarly: false };
      backend.seen.push(s);
      res.on('close', () => (s.closedEarly = !res.writableFinished));
      req.setEncoding('latin1');
      req.on('data', (chunk: string) => (s.received += chunk));
      req.on('end', () => {
        s.ended = true;
        backend.reply(s);
      });
    });
    server.on('connection', (socket: Socket) => backend.connections.push(socket));
    backend.port = await listen(server);
    cleanups.push(() => closeServer(server));
    return backend;
  }

  async function startFront(port: number, timeoutMs = 5000): Promise<Front> {
    const failures: Failure[] = [];
    const proxy = createBackendProxy({ port, timeoutMs, onFailure: (f) => failures.push(f) });
    const server = http.createServer(proxy.listener);
    const connections: Socket[] = [];
    server.on('connection', (socket: Socket) => connections.push(socket));
    const front: Front = { port: await listen(server), proxy, failures, connections };
    cleanups.push(async () => {
      proxy.close();
      await closeServer(server);
    });
    return front;
  }

  function keepAliveAgent(): http.Agent {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    return agent;
  }

  /** Sends a request to 127.0.0.1:`port` and gathers the answer, whole or cut off. */
  function call(port: number, method: string, path: string, opts: CallOptions = {}): { answer: Promise<Reply>; req: http.ClientRequest } {
    let req!: http.ClientRequest;
    const answer = new Promise<Reply>((resolve, reject) => {
      req = http.request({ host: '127.0.0.1', port, method, path, headers: opts.headers, agent: opts.agent ?? false }, (res) => {
        opts.onResponse?.(res);
        const chunks: Buffer[] = [];
        const done = (): void => resolve({
          status: res.statusCode!, statusMessage: res.statusMessage!, headers: res.headers, rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks), complete: res.complete, reusedSocket: req.reusedSocket,
        });
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', done);
        res.on('error', () => undefined);
        res.on('close', done);
      });
      req.on('error', reject);
      if (!opts.open) req.end(opts.body);
    });
    return { answer, req };
  }

  /** Writes `text` on a connection of its own and gathers what comes back until `enough` says so or the connection ends. */
  function exchange(port: number, text: string, enough: (got: string) => boolean): { got: Promise<string>; socket: Socket } {
    const socket = net.connect({ host: '127.0.0.1', port });
    cleanups.push(() => void socket.destroy());
    const got = new Promise<string>((resolve, reject) => {
      let data = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        data += chunk;
        if (enough(data)) resolve(data);
      });
      socket.on('end', () => resolve(data));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
      socket.write(text);
    });
    return { got, socket };
  }

  describe('the request', () => {
    it('when a JSON POST of a few KB comes with a query, then the backend gets the same method, path, query, body and end-to-end headers', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);
      const body = JSON.stringify({ vnfInstanceName: 'fw-1', additionalParam: { items: Array.from({ length: 120 }, (_, i) => ({ key: `k${i}`, value: `v-${i}-é` })) } });
      expect(Buffer.byteLength(body)).toBeGreaterThan(3000);
      backend.reply = (s) => s.res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"jobId":"job-1"}');

      const a = await rawRequest(front.port, 'POST', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs?mode=sync&name=a%20b&flag', {
        body,
        headers: { 'X-ONAP-RequestID': 'req-1', Accept: 'application/json', Authorization: 'Basic dTpw', 'X-Custom': 'a, b' },
        agent: false,
      });

      expect([a.status, a.body]).toEqual([201, '{"jobId":"job-1"}']);
      expect(backend.seen).toHaveLength(1);
      const s = backend.seen[0]!;
      expect([s.method, s.url]).toEqual(['POST', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs?mode=sync&name=a%20b&flag']);
      expect(Buffer.from(s.received, 'latin1').toString('utf8')).toBe(body);
      expect(s.headers).toEqual({
        host: `127.0.0.1:${front.port}`,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'x-onap-requestid': 'req-1',
        accept: 'application/json',
        authorization: 'Basic dTpw',
        'x-custom': 'a, b',
        'x-forwarded-for': '127.0.0.1',
        connection: 'keep-alive',
      });
      expect(front.failures).toEqual([]);
    });

    it('when the body comes in chunks without Content-Length, then the backend gets each piece as it comes and the whole body', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);
      backend.reply = (s) => s.res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`got ${s.received.length} bytes`);
      const { answer, req } = call(front.port, 'PUT', '/api/upload?part=all', { headers: { 'Content-Type': 'text/plain' }, open: true });

      req.write('first piece;');
      await until('the backend has the first piece', () => backend.seen[0]?.received === 'first piece;');
      expect(backend.seen[0]!.ended).toBe(false);
      req.write('second piece;');
      await until('the backend has the second piece', () => backend.seen[0]?.received === 'first piece;second piece;');
      req.end('last');
      const a = await answer;

      expect([a.status, a.body.toString()]).toEqual([200, 'got 29 bytes']);
      const s = backend.seen[0]!;
      expect([s.method, s.url, s.received, s.ended]).toEqual(['PUT', '/api/upload?part=all', 'first piece;second piece;last', true]);
      expect(s.headers['content-length']).toBeUndefined();
      expect(s.headers['content-type']).toBe('text/plain');
      // The framing is the proxy's own, one line of it.
      expect(valuesOf(s.rawHeaders, 'transfer-encoding')).toEqual(['chunked']);
    });

    it('when the request carries hop-by-hop headers, then the backend gets the end-to-end ones and none of those', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);

      const { got } = exchange(front.port, [
        'POST /api/hop?x=1 HTTP/1.1',
        'Host: vnfm.example',
        'Connection: close',
        'Keep-Alive: timeout=30, max=9',
        'Proxy-Connection: keep-alive',
        'TE: trailers',
        'Trailer: X-Checksum',
        'Upgrade: websocket',
        'Transfer-Encoding: chunked',
        'X-End-To-End: kept',
        'Content-Type: text/plain',
        '',
        '5',
        'hello',
        '0',
        '',
        '',
      ].join('\r\n'), () => false);
      const text = await got;

      expect(withoutDate(text)).toBe(
        'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n'
        + '1b\r\nanswer to POST /api/hop?x=1\r\n0\r\n\r\n',
      );
      const s = backend.seen[0]!;
      expect(s.received).toBe('hello');
      expect(s.headers).toEqual({
        host: 'vnfm.example',
        'x-end-to-end': 'kept',
        'content-type': 'text/plain',
        'x-forwarded-for': '127.0.0.1',
        // The proxy's own framing and connection handling, not the caller's.
        'transfer-encoding': 'chunked',
        connection: 'keep-alive',
      });
      expect(valuesOf(s.rawHeaders, 'connection')).toEqual(['keep-alive']);
      expect(valuesOf(s.rawHeaders, 'transfer-encoding')).toEqual(['chunked']);
    });

    it('when the request already has X-Forwarded-For, then the caller address is appended after it', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);

      const a = await rawRequest(front.port, 'GET', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs/v-1', { headers: { 'X-Forwarded-For': '10.1.2.3' }, agent: false });

      expect(a.status).toBe(200);
      expect(backend.seen[0]!.headers['x-forwarded-for']).toBe('10.1.2.3, 127.0.0.1');
      expect(valuesOf(backend.seen[0]!.rawHeaders, 'x-forwarded-for')).toEqual(['10.1.2.3, 127.0.0.1']);
    });

    it('when the request has two X-Forwarded-For lines, then the backend gets both in order, then the caller address', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);

      const a = await call(front.port, 'GET', '/api/x', { headers: { 'X-Forwarded-For': ['10.1.2.3', '192.0.2.7, 10.4.5.6'] } }).answer;

      expect(a.status).toBe(200);
      expect(backend.seen[0]!.headers['x-forwarded-for']).toBe('10.1.2.3, 192.0.2.7, 10.4.5.6, 127.0.0.1');
    });

    it('when the caller expects 100-continue, then it gets one 100 Continue, sends its body and the backend gets it', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);
      backend.reply = (s) => s.res.writeHead(201, { 'Content-Type': 'text/plain' }).end(`stored ${s.received}`);

      const { got, socket } = exchange(front.port, [
        'POST /api/vnfs HTTP/1.1',
        'Host: vnfm.example',
        'Connection: close',
        'Expect: 100-continue',
        'Content-Type: application/json',
        'Content-Length: 11',
        '',
        '',
      ].join('\r\n'), () => false);
      await until('the caller is told to go on', () => socket.bytesRead > 0);
      socket.write('{"a":"bcd"}');
      const text = await got;

      expect(withoutDate(text)).toBe(
        'HTTP/1.1 100 Continue\r\n\r\n'
        + 'HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n'
        + '12\r\nstored {"a":"bcd"}\r\n0\r\n\r\n',
      );
      expect(backend.seen[0]!.received).toBe('{"a":"bcd"}');
      expect(backend.seen[0]!.headers.expect).toBe('100-continue');
    });
  });

  describe('the answer', () => {
    it('when the backend answers, then its status code, status message, body and headers come back, names in its case and order', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);
      const body = '{"vnfInstanceId":"v-1","jobId":"job-9"}';
      const sent = [
        'X-Zeta', 'last letter first',
        'content-type', 'application/json; charset=utf-8',
        'ETag', '"v7"',
        'Set-Cookie', 'a=1; Path=/',
        'x-MiXeD-CaSe', 'yes',
        'Set-Cookie', 'b=2; Path=/',
        'Content-Length', String(Buffer.byteLength(body)),
        'Location', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs/v-1',
      ];
      backend.reply = (s) => s.res.writeHead(202, 'Taken Along', sent).end(body);

      const a = await call(front.port, 'POST', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs', { body: '{}', headers: { 'Content-Type': 'application/json' } }).answer;

      expect([a.status, a.statusMessage, a.body.toString(), a.complete]).toEqual([202, 'Taken Along', body, true]);
      expect(without(a.rawHeaders, ['Date', 'Connection', 'Keep-Alive', 'Transfer-Encoding'])).toEqual(sent);
      expect(valuesOf(a.rawHeaders, 'date')).toHaveLength(1);
      expect(a.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
      expect(front.failures).toEqual([]);
    });

    it('when the backend answers with hop-by-hop headers, then the caller gets the proxy\'s own and none of the backend\'s', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);
      backend.reply = (s) => {
        s.res.writeHead(200, [
          'Connection', 'keep-alive',
          'Keep-Alive', 'timeout=99, max=7',
          'Proxy-Connection', 'keep-alive',
          'Upgrade', 'h2c',
          'TE', 'trailers',
          'Trailer', 'X-Checksum',
          'Transfer-Encoding', 'chunked',
          'X-End-To-End', 'kept',
        ]);
        s.res.write('part');
        s.res.end('ial');
      };

      // A keep-alive caller connection, so that the proxy's server sends its own Keep-Alive.
      const a = await call(front.port, 'GET', '/api/hop', { agent: keepAliveAgent() }).answer;

      expect([a.status, a.body.toString(), a.complete]).toEqual([200, 'partial', true]);
      expect(without(a.rawHeaders, ['Date', 'Connection', 'Keep-Alive', 'Transfer-Encoding'])).toEqual(['X-End-To-End', 'kept']);
      expect(valuesOf(a.rawHeaders, 'connection')).toEqual(['keep-alive']);
      expect(valuesOf(a.rawHeaders, 'keep-alive')).toEqual(['timeout=5']);
      expect(valuesOf(a.rawHeaders, 'transfer-encoding')).toEqual(['chunked']);
    });

    it('when the backend streams 1 MB in pieces, then the caller gets every byte, the first ones before the backend has finished', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);
      const pieces = patterned(1024 * 1024, 16 * 1024);
      let callerBytes = 0;
      let backendDone = false;
      backend.reply = (s) => {
        s.res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        void (async () => {
          for (const [i, piece] of pieces.entries()) {
            if (!s.res.write(piece)) await new Promise((resolve) => s.res.once('drain', resolve));
            // Half-way, wait until the caller has something: the answer is streamed, not gathered first.
            if (i === pieces.length / 2) await until('the caller has the first bytes', () => callerBytes > 0);
            else await new Promise((resolve) => setImmediate(resolve));
          }
          s.res.end();
          backendDone = true;
        })();
      };
      let doneAtFirstBytes: boolean | undefined;

      const a = await call(front.port, 'GET', '/api/big', {
        onResponse: (res) => res.on('data', (c: Buffer) => {
          doneAtFirstBytes ??= backendDone;
          callerBytes += c.length;
        }),
      }).answer;

      expect([a.status, a.complete, a.body.length]).toEqual([200, true, 1024 * 1024]);
      expect(a.body.equals(Buffer.concat(pieces))).toBe(true);
      expect(doneAtFirstBytes).toBe(false);
      expect(front.failures).toEqual([]);
    });

    it('when the backend answers an error status, then it is passed back as it is and onFailure is not called', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);
      backend.reply = (s) => s.res.writeHead(503, 'Busy', { 'Content-Type': 'application/json', 'Retry-After': '3' }).end('{"error":"busy"}');

      const a = await rawRequest(front.port, 'GET', '/api/x', { agent: false });

      expect([a.status, a.body, a.headers['retry-after']]).toEqual([503, '{"error":"busy"}', '3']);
      expect(front.failures).toEqual([]);
    });

    it('when the request is a HEAD, then the caller gets the headers without a body and the connection serves the next request', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);
      backend.reply = (s) => {
        if (s.method === 'HEAD') s.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '42', 'X-Kind': 'head' }).end();
        else s.res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`answer to ${s.method} ${s.url}`);
      };
      const agent = keepAliveAgent();

      const head = await call(front.port, 'HEAD', '/api/ciscovnfmdriver/v1/vnfm-1/jobs/job-1?responseId=1', { agent }).answer;
      const next = await call(front.port, 'GET', '/api/next', { agent }).answer;

      expect([head.status, head.body.length, head.complete]).toEqual([200, 0, true]);
      expect([head.headers['content-length'], head.headers['content-type'], head.headers['x-kind']]).toEqual(['42', 'application/json', 'head']);
      expect(head.headers['transfer-encoding']).toBeUndefined();
      expect([next.status, next.body.toString(), next.reusedSocket]).toEqual([200, 'answer to GET /api/next', true]);
      expect(backend.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['HEAD /api/ciscovnfmdriver/v1/vnfm-1/jobs/job-1?responseId=1', 'GET /api/next']);
      expect(front.connections).toHaveLength(1);
    });

    it('when the backend answers 204, then the caller gets 204 with its headers and no body, and the connection serves the next request', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);
      backend.reply = (s) => {
        if (s.method === 'DELETE') s.res.writeHead(204, { 'X-Deleted': 'v-1' }).end();
        else s.res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`answer to ${s.method} ${s.url}`);
      };
      const agent = keepAliveAgent();

      const gone = await call(front.port, 'DELETE', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs/v-1', { agent }).answer;
      const next = await call(front.port, 'GET', '/api/next', { agent }).answer;

      expect([gone.status, gone.statusMessage, gone.body.length, gone.complete, gone.headers['x-deleted']]).toEqual([204, 'No Content', 0, true, 'v-1']);
      expect(gone.headers['content-length']).toBeUndefined();
      expect(gone.headers['transfer-encoding']).toBeUndefined();
      expect([next.status, next.body.toString(), next.reusedSocket]).toEqual([200, 'answer to GET /api/next', true]);
    });
  });

  describe('failures', () => {
    it('when the backend is not listening, then the caller gets 502 with the JSON error body and onFailure is told once, without headers or query', async () => {
      const front = await startFront(await freePort());
      const body = '{"vnfInstanceName":"fw-1"}';

      const a = await rawRequest(front.port, 'POST', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs?token=q-secret', {
        body,
        headers: { Authorization: 'Bearer h-secret', 'X-ONAP-RequestID': 'req-502' },
        agent: false,
      });

      expect(a.status).toBe(502);
      expect(a.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(a.headers['content-length']).toBe(String(Buffer.byteLength(a.body)));
      expect(JSON.parse(a.body)).toEqual({ error: 'the service could not take the request', details: [{ field: 'request', reason: 'ECONNREFUSED' }] });
      expect(front.failures).toEqual([{ method: 'POST', path: '/api/ciscovnfmdriver/v1/vnfm-1/vnfs', status: 502, reason: 'ECONNREFUSED' }]);
      const told = JSON.stringify(front.failures);
      for (const secret of ['h-secret', 'req-502', 'q-secret', 'fw-1']) expect(told).not.toContain(secret);
    });

    it('when the backend does not answer within timeoutMs, then the caller gets 504, onFailure is told and the backend request is closed', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port, 200);
      backend.reply = () => undefined;
      const started = Date.now();

      const a = await rawRequest(front.port, 'GET', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs/v-1?detail=all', { agent: false });
      const waited = Date.now() - started;

      expect(a.status).toBe(504);
      expect(a.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(a.body)).toEqual({ error: 'the service did not answer in time', details: [{ field: 'request', reason: 'no answer within 200 ms' }] });
      expect(waited).toBeGreaterThanOrEqual(180);
      expect(waited).toBeLessThan(2000);
      expect(front.failures).toEqual([{ method: 'GET', path: '/api/ciscovnfmdriver/v1/vnfm-1/vnfs/v-1', status: 504, reason: 'no answer within 200 ms' }]);
      await until('the backend request is closed', () => backend.seen[0]?.closedEarly === true);
    });

    it('when a reused backend connection does not answer within timeoutMs, then the caller gets 504 too', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port, 200);
      backend.reply = (s) => {
        if (s.url === '/api/fast') s.res.writeHead(200, { 'Content-Type': 'text/plain' }).end('fast');
      };

      const fast = await rawRequest(front.port, 'GET', '/api/fast', { agent: false });
      const slow = await rawRequest(front.port, 'GET', '/api/slow', { agent: false });

      expect([fast.status, fast.body]).toEqual([200, 'fast']);
      expect(slow.status).toBe(504);
      expect(backend.connections).toHaveLength(1);
      expect(front.failures).toEqual([{ method: 'GET', path: '/api/slow', status: 504, reason: 'no answer within 200 ms' }]);
      await until('the backend request is closed', () => backend.seen[1]?.closedEarly === true);
    });

    it('when the backend stops in the middle of its answer for longer than timeoutMs, then the caller\'s answer is cut off and onFailure is told 504', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port, 200);
      backend.reply = (s) => {
        s.res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '100' });
        s.res.write('the first ten');
      };

      const a = await call(front.port, 'GET', '/api/stalls?x=1').answer;

      expect([a.status, a.complete, a.body.toString()]).toEqual([200, false, 'the first ten']);
      expect(front.failures).toEqual([{ method: 'GET', path: '/api/stalls', status: 504, reason: 'no answer within 200 ms' }]);
      await until('the backend answer is closed', () => backend.seen[0]?.closedEarly === true);
    });

    it('when the backend connection breaks in the middle of the answer, then the caller\'s answer is cut off and onFailure is told 502', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);
      backend.reply = (s) => {
        s.res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '100' });
        s.res.write('the first ten', () => setTimeout(() => s.res.socket?.destroy(), 20));
      };

      const a = await call(front.port, 'GET', '/api/breaks?x=1').answer;

      expect([a.status, a.complete, a.body.toString()]).toEqual([200, false, 'the first ten']);
      expect(front.failures).toEqual([{ method: 'GET', path: '/api/breaks', status: 502, reason: 'the answer was cut off' }]);
    });

    it('when the caller goes away before the backend answers, then the backend request is closed and onFailure is not called', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port, 600);
      backend.reply = () => undefined;
      const { answer, req } = startRawRequest(front.port, 'POST', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs', { body: '{"vnfInstanceName":"gone"}', agent: false });
      const outcome = answer.then(() => 'answered', () => 'failed');
      await until('the backend has the request', () => backend.seen[0]?.ended === true);

      req.destroy();

      // At once, not when timeoutMs is up.
      await until('the backend request is closed', () => backend.seen[0]!.closedEarly, 300);
      expect(await outcome).toBe('failed');
      // Past timeoutMs: neither the caller's leaving nor a timeout is reported.
      await sleep(700);
      expect(front.failures).toEqual([]);
      expect(backend.seen.map((s) => s.received)).toEqual(['{"vnfInstanceName":"gone"}']);
    });

    it('when the caller goes away in the middle of the answer, then the backend answer is closed and onFailure is not called', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port, 600);
      backend.reply = (s) => {
        s.res.writeHead(200, { 'Content-Type': 'text/plain' });
        s.res.write('a first part');
      };
      let req!: http.ClientRequest;
      const started = call(front.port, 'GET', '/api/long', { onResponse: (res) => res.once('data', () => req.destroy()) });
      req = started.req;
      const outcome = started.answer.then((a) => a.complete, () => 'failed');

      // At once, not when timeoutMs is up.
      await until('the backend answer is closed', () => backend.seen[0]?.closedEarly === true, 300);

      expect(await outcome).toBe(false);
      await sleep(700);
      expect(front.failures).toEqual([]);
    });

    it('when the caller has gone away, then the next caller is still answered', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port, 600);
      backend.reply = (s) => {
        if (s.url !== '/api/hangs') s.res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`answer to ${s.method} ${s.url}`);
      };
      const gone = startRawRequest(front.port, 'GET', '/api/hangs', { agent: false });
      void gone.answer.catch(() => undefined);
      await until('the backend has the request', () => backend.seen.length === 1);
      gone.req.destroy();
      await until('the backend request is closed', () => backend.seen[0]!.closedEarly, 300);

      const a = await rawRequest(front.port, 'GET', '/api/next', { agent: false });

      expect([a.status, a.body]).toEqual([200, 'answer to GET /api/next']);
      expect(front.failures).toEqual([]);
    });
  });

  describe('connections', () => {
    it('when two requests follow on one keep-alive caller connection, then each gets its own answer', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);
      const agent = keepAliveAgent();

      const first = await call(front.port, 'GET', '/api/first?n=1', { agent }).answer;
      const second = await call(front.port, 'POST', '/api/second', { agent, body: '{"n":2}', headers: { 'Content-Type': 'application/json' } }).answer;

      expect([first.status, first.body.toString(), first.reusedSocket]).toEqual([200, 'answer to GET /api/first?n=1', false]);
      expect([second.status, second.body.toString(), second.reusedSocket]).toEqual([200, 'answer to POST /api/second', true]);
      expect(front.connections).toHaveLength(1);
      expect(backend.seen.map((s) => [s.method, s.url, s.received])).toEqual([['GET', '/api/first?n=1', ''], ['POST', '/api/second', '{"n":2}']]);
    });

    it('when two requests are pipelined and the backend answers the second first, then the answers come back in request order', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);
      backend.reply = (s) => {
        const answer = (): void => void s.res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`answer to ${s.url}`);
        if (s.url === '/api/first') void until('the second is answered', () => backend.seen[1]?.res.writableFinished === true).then(answer);
        else answer();
      };

      const { got } = exchange(front.port, 'GET /api/first HTTP/1.1\r\nHost: a\r\n\r\nGET /api/second HTTP/1.1\r\nHost: a\r\n\r\n',
        (text) => text.split('0\r\n\r\n').length === 3);
      const text = await got;

      const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\n\r\n';
      expect(withoutDate(text)).toBe(`${head}14\r\nanswer to /api/first\r\n0\r\n\r\n${head}15\r\nanswer to /api/second\r\n0\r\n\r\n`);
      expect(backend.seen.map((s) => s.url)).toEqual(['/api/first', '/api/second']);
    });

    it('when requests follow one another, then they share one backend connection, and close() releases it', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);

      for (const n of [1, 2, 3]) {
        const a = await rawRequest(front.port, 'GET', `/api/n${n}`, { agent: false });
        expect(a.body).toBe(`answer to GET /api/n${n}`);
      }

      expect(backend.connections).toHaveLength(1);
      expect(backend.connections[0]!.destroyed).toBe(false);
      front.proxy.close();
      await until('the backend connection is closed', () => backend.connections[0]!.destroyed);
    });
  });

  describe('slow callers and connection-named headers', () => {
    // While the caller does not read, the proxy stops reading the backend (back-pressure): that silence of the
    // backend must not count against its timeout.
    it('when the caller pauses reading a large answer for longer than timeoutMs, then it still gets the whole answer', async () => {
      const size = 32 * 1024 * 1024;
      const backend = await startBackend();
      const front = await startFront(backend.port, 200);
      backend.reply = (s) => {
        s.res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) });
        const piece = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = (): void => {
          while (sent < size) {
            sent += piece.length;
            if (!s.res.write(piece)) {
              s.res.once('drain', pump);
              return;
            }
          }
          s.res.end();
        };
        pump();
      };

      const a = await call(front.port, 'GET', '/api/big', {
        onResponse: (res) => res.once('data', () => {
          res.pause();
          setTimeout(() => res.resume(), 800);
        }),
      }).answer;

      expect(front.failures).toEqual([]);
      expect([a.complete, a.body.length]).toEqual([true, size]);
    });

    // RFC 9110 §7.6.1: a header named in Connection is connection-scoped too and must not be forwarded.
    it('when the Connection header names another header, then the backend does not get that header', async () => {
      const backend = await startBackend();
      const front = await startFront(backend.port);

      const a = await call(front.port, 'GET', '/api/x', { headers: { Connection: 'close, X-Hop-Named', 'X-Hop-Named': 'hop', 'X-Kept': 'kept' } }).answer;

      expect(a.status).toBe(200);
      expect(backend.seen[0]!.headers['x-kept']).toBe('kept');
      expect(backend.seen[0]!.headers['x-hop-named']).toBeUndefined();
    });
  });
});
