import http from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { LeanHttpClient } from '../../../bench/lib/lean-http-client';
import { waitFor } from '../../support/waiting';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A node:http server on 127.0.0.1 that records what it receives and the connections it accepts. */
class TestServer {
  readonly received: Received[] = [];
  readonly sockets: Socket[] = [];
  private server?: http.Server;

  constructor(private readonly handle: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void) {}

  get connections(): number {
    return this.sockets.length;
  }

  async listen(): Promise<number> {
    this.server = http.createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        const body = Buffer.concat(parts).toString('utf8');
        this.received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        this.handle(req, res, body);
      });
    });
    this.server.on('connection', (s: Socket) => this.sockets.push(s));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  closeIdleConnections(): void {
    this.server!.closeIdleConnections();
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

const until = (what: string, check: () => boolean, deadlineMs = 1500): Promise<void> => waitFor(check, deadlineMs, { what, pollMs: 5 });

const later = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('LeanHttpClient', () => {
  let server: TestServer | undefined;
  let client: LeanHttpClient | undefined;

  afterEach(async () => {
    jest.restoreAllMocks();
    client?.close();
    client = undefined;
    await server?.close();
    server = undefined;
  });

  async function serve(handle: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<LeanHttpClient> {
    server = new TestServer(handle);
    const port = await server.listen();
    client = new LeanHttpClient('127.0.0.1', port);
    return client;
  }

  it('when the answer has a Content-Length, then its status and UTF-8 body are returned', async () => {
    const c = await serve((_req, res) => {
      res.writeHead(201, { 'Content-Type': 'text/plain; charset=utf-8' }).end('créé – ok');
    });

    await expect(c.request('GET', '/things/1')).resolves.toEqual({ status: 201, body: 'créé – ok' });
    expect(server!.received).toEqual([expect.objectContaining({ method: 'GET', url: '/things/1', body: '' })]);
    expect(server!.received[0].headers.host).toBe('127.0.0.1');
  });

  it('when the answer has no body, then an empty body is returned', async () => {
    const c = await serve((_req, res) => {
      res.writeHead(204).end();
    });

    await expect(c.request('DELETE', '/things/1')).resolves.toEqual({ status: 204, body: '' });
    await expect(c.request('GET', '/things/1')).resolves.toEqual({ status: 204, body: '' });
    expect(server!.connections).toBe(1);
  });

  it('when the answer is chunked over several writes, then the chunks are joined, even a character split between two', async () => {
    const euro = Buffer.from('€');
    const c = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"a":"one",');
      setTimeout(() => {
        res.write(Buffer.concat([Buffer.from('"b":"'), euro.subarray(0, 1)]));
        setTimeout(() => {
          res.write(Buffer.concat([euro.subarray(1), Buffer.from('"}')]));
          setTimeout(() => res.end(), 5);
        }, 5);
      }, 5);
    });

    const answer = await c.request('GET', '/chunked');

    expect(answer).toEqual({ status: 200, body: '{"a":"one","b":"€"}' });
  });

  it('when a chunked answer is followed by another request, then the connection is reused for it', async () => {
    let n = 0;
    const c = await serve((_req, res) => {
      n++;
      res.writeHead(200);
      for (let i = 0; i < 3; i++) res.write(`${n}.${i};`);
      res.end();
    });

    await expect(c.request('GET', '/a')).resolves.toEqual({ status: 200, body: '1.0;1.1;1.2;' });
    await expect(c.request('GET', '/b')).resolves.toEqual({ status: 200, body: '2.0;2.1;2.2;' });
    expect(server!.connections).toBe(1);
  });

  it('when a JSON body is posted, then it arrives whole with its type and byte length', async () => {
    const c = await serve((_req, res, body) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ echoed: JSON.parse(body) as unknown }));
    });
    const body = JSON.stringify({ vnfInstanceName: 'pare-feu-é', flavour: 'small', n: 3 });

    const answer = await c.request('POST', '/api/vnfs', body);

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ echoed: { vnfInstanceName: 'pare-feu-é', flavour: 'small', n: 3 } });
    const [got] = server!.received;
    expect(got).toMatchObject({ method: 'POST', url: '/api/vnfs', body });
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
  });

  it('when requests follow one another, then they share one keep-alive connection', async () => {
    const c = await serve((req, res) => {
      res.writeHead(200).end(`answer to ${req.url}`);
    });

    await expect(c.request('GET', '/one')).resolves.toEqual({ status: 200, body: 'answer to /one' });
    await expect(c.request('POST', '/two', '{}')).resolves.toEqual({ status: 200, body: 'answer to /two' });
    await expect(c.request('GET', '/three')).resolves.toEqual({ status: 200, body: 'answer to /three' });

    expect(server!.connections).toBe(1);
    expect(server!.received.map((r) => r.url)).toEqual(['/one', '/two', '/three']);
  });

  it('when requests are in flight together, then each has its own connection and gets its own answer', async () => {
    const held: Array<() => void> = [];
    const c = await serve((req, res) => {
      held.push(() => res.writeHead(200).end(`answer to ${req.url}`));
      // Answered only once three are in, last first.
      if (held.length === 3) for (const answer of held.splice(0).reverse()) answer();
    });

    const answers = await Promise.all(['/a', '/b', '/c'].map((p) => c.request('GET', p)));

    expect(answers).toEqual([
      { status: 200, body: 'answer to /a' },
      { status: 200, body: 'answer to /b' },
      { status: 200, body: 'answer to /c' },
    ]);
    expect(server!.connections).toBe(3);

    // The three connections are idle again and are reused rather than new ones opened.
    await Promise.all(['/d', '/e', '/f'].map((p) => c.request('GET', p)));
    expect(server!.connections).toBe(3);
  });

  it('when the server answers with Connection: close, then the next request opens a new connection', async () => {
    let n = 0;
    const c = await serve((_req, res) => {
      n++;
      res.writeHead(200, n === 1 ? { Connection: 'close' } : {}).end(`answer ${n}`);
    });

    await expect(c.request('GET', '/first')).resolves.toEqual({ status: 200, body: 'answer 1' });
    await expect(c.request('GET', '/second')).resolves.toEqual({ status: 200, body: 'answer 2' });
    await expect(c.request('GET', '/third')).resolves.toEqual({ status: 200, body: 'answer 3' });

    expect(server!.connections).toBe(2);
  });

  it('when the server closes an idle connection, then the next request opens a new one', async () => {
    const c = await serve((_req, res) => {
      res.writeHead(200).end('ok');
    });

    await expect(c.request('GET', '/first')).resolves.toEqual({ status: 200, body: 'ok' });
    server!.closeIdleConnections();
    await until('the server closed the idle connection', () => server!.sockets[0].destroyed);
    await later(20);
    await expect(c.request('GET', '/second')).resolves.toEqual({ status: 200, body: 'ok' });

    expect(server!.connections).toBe(2);
  });

  it('when a connection has been idle longer than the client keeps them, then a new one is opened instead', async () => {
    const c = await serve((_req, res) => {
      res.writeHead(200).end('ok');
    });
    const realNow = Date.now.bind(Date);

    await c.request('GET', '/first');
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 10_000);
    await c.request('GET', '/second');

    expect(server!.connections).toBe(2);
    await until('the stale connection is closed', () => server!.sockets[0].destroyed);
  });

  it('when the server destroys the connection instead of answering, then the request rejects and the next one works', async () => {
    const c = await serve((req, res) => {
      if (req.url === '/drop') req.socket.destroy();
      else res.writeHead(200).end('still here');
    });

    await expect(c.request('POST', '/drop', '{"x":1}')).rejects.toThrow();
    await expect(c.request('GET', '/after')).resolves.toEqual({ status: 200, body: 'still here' });
    expect(server!.connections).toBe(2);
  });

  it('when the server destroys the connection in the middle of a chunked answer, then the request rejects', async () => {
    const c = await serve((req, res) => {
      res.writeHead(200);
      res.write('partial');
      setTimeout(() => req.socket.destroy(), 10);
    });

    await expect(c.request('GET', '/half')).rejects.toThrow();
  });

  it('when nobody listens on the port, then the request rejects', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const freedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    client = new LeanHttpClient('127.0.0.1', freedPort);

    await expect(client.request('GET', '/')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('when the client is closed with a request in flight, then that request rejects and its connection is closed', async () => {
    const c = await serve(() => {
      // Never answers.
    });

    const pending = c.request('GET', '/never');
    await until('the request reached the server', () => server!.received.length === 1);
    c.close();

    await expect(pending).rejects.toThrow('connection closed');
    await until('the server saw the connection close', () => server!.sockets[0].destroyed);
  });

  it('when a chunked answer has a malformed chunk size, then the request rejects', async () => {
    const raw = net.createServer((s) => {
      s.once('data', () => s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'));
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    client = new LeanHttpClient('127.0.0.1', (raw.address() as AddressInfo).port);
    try {
      const outcome = await Promise.race([
        client.request('GET', '/').then(
          () => 'answered',
          () => 'rejected',
        ),
        later(300).then(() => 'still pending'),
      ]);
      expect(outcome).toBe('rejected');
    } finally {
      client.close();
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    }
  });
});
