import net from 'node:net';
import { getJson, startTestService, type TestService } from '../../support/http-service';

/** Sends raw bytes on a connection of its own and reads everything until the server closes it. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.setTimeout(3000, () => socket.destroy(new Error('no answer within 3 s')));
  });
}

/** Status, Content-Type and parsed body of a raw HTTP/1.1 answer. */
function parse(raw: string): { status: number; contentType: string | undefined; body: { error: string; details: unknown } } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const contentType = /\r\ncontent-type: ([^\r]+)/i.exec(head)?.[1];
  return { status, contentType, body: JSON.parse(body) as { error: string; details: unknown } };
}

const CASES = [
  {
    name: 'headers larger than the server accepts',
    bytes: `GET /api/ciscovnfmdriver/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    status: 431,
    code: 'HPE_HEADER_OVERFLOW',
  },
  {
    name: 'an unknown method',
    bytes: 'FROB /api/ciscovnfmdriver/v1/health HTTP/1.1\r\nHost: x\r\n\r\n',
    status: 400,
    code: 'HPE_INVALID_METHOD',
  },
  {
    name: 'malformed chunked framing',
    bytes:
      'POST /api/ciscovnfmdriver/v1/m/vnfs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    status: 400,
    code: 'HPE_OTHER',
  },
  {
    name: 'both Content-Length and chunked framing',
    bytes: 'POST /api/ciscovnfmdriver/v1/m/vnfs HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    status: 400,
    code: 'HPE_OTHER',
  },
  { name: 'a request line that is not HTTP', bytes: 'hello there\r\n\r\n', status: 400, code: 'HPE_INVALID_METHOD' },
];

describe('requests the HTTP parser refuses', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService(undefined, { storePath: ':memory:' });
  });
  afterAll(async () => {
    await svc.stop();
  });

  it.each(CASES)('when a client sends $name, then $status with the JSON error body', async ({ bytes, status }) => {
    const answer = parse(await rawExchange(svc.port, bytes));
    expect(answer.status).toBe(status);
    expect(answer.contentType).toBe('application/json; charset=utf-8');
    expect(typeof answer.body.error).toBe('string');
    expect(answer.body.details).toEqual([{ field: 'request', reason: answer.body.error }]);
  });

  it('when the parser refused requests, then they are counted by code and the service is healthy', async () => {
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    for (const code of new Set(CASES.map((c) => c.code))) {
      const expected = CASES.filter((c) => c.code === code).length;
      expect(metrics).toContain(`http_client_errors_total{code="${code}"} ${expected}`);
    }
    expect((await getJson(`${svc.url}/api/ciscovnfmdriver/v1/health`)).status).toBe(200);
  });
});
