import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createRequestListener, httpPollMetrics } from '../../../src/api/request-listener';
import { createMetrics } from '../../../src/metrics';
import { recordingLog, type Logged } from '../../support/recording-log';
import { rawRequest, startRawRequest, type RawAnswer as Answer } from '../../support/raw-http';
import { waitFor } from '../../support/waiting';

describe('createRequestListener', () => {
  const JOB_BODY = '{"jobId":"job-1","responseDescriptor":{"responseId":"2"}}';
  const lines: Logged[] = [];
  const toApp: string[] = [];
  const asked: Array<[string, number]> = [];
  const metrics = createMetrics({ collectDefaults: false });
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    const lifecycle = {
      jobDescriptorJson: async (jobId: string, after: number): Promise<string> => {
        asked.push([jobId, after]);
        await Promise.resolve();
        if (jobId !== 'job-1') throw new Error(`job ${jobId} not found`);
        return JOB_BODY;
      },
    };
    const app: http.RequestListener = (req, res) => {
      toApp.push(`${req.method} ${req.url}`);
      res.writeHead(418, { 'content-type': 'text/plain' }).end('from the app');
    };
    server = http.createServer(
      createRequestListener(app, {
        vnfmType: 'ciscovnfmdriver',
        jobs: lifecycle,
        log: recordingLog(lines),
        metrics: httpPollMetrics(metrics, 'ciscovnfmdriver'),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    lines.length = 0;
    toApp.length = 0;
    asked.length = 0;
  });

  function send(method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return rawRequest(port, method, path, { headers, agent: false });
  }

  const poll = (rest: string): string => `/api/ciscovnfmdriver/v1/vnfm-1/jobs/${rest}`;

  it('when NSLCM polls an existing job with responseId=N, then the listener answers it without the app', async () => {
    const a = await send('GET', poll('job-1?responseId=7'), { 'X-ONAP-RequestID': 'req-7' });

    expect(a.status).toBe(200);
    expect(a.body).toBe(JOB_BODY);
    expect(a.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(a.headers['content-length']).toBe(String(Buffer.byteLength(JOB_BODY)));
    expect(a.headers['x-onap-requestid']).toBe('req-7');
    expect(a.headers['x-transactionid']).toBeUndefined();
    expect(asked).toEqual([['job-1', 7]]);
    expect(toApp).toEqual([]);
  });

  it('when the poll is a HEAD with X-TransactionID, then the headers come without a body and the id is echoed twice', async () => {
    const a = await send('HEAD', poll('job-1?responseId=0'), { 'X-TransactionID': 'tx-1' });

    expect([a.status, a.body, a.headers['x-onap-requestid'], a.headers['x-transactionid']]).toEqual([200, '', 'tx-1', 'tx-1']);
    expect(a.headers['content-length']).toBe(String(Buffer.byteLength(JOB_BODY)));
    expect(toApp).toEqual([]);
  });

  it('when a poll is answered, then one request line is logged at debug and the route pattern is counted', async () => {
    const before =
      (await metrics.httpRequests.get()).values.find((v) => v.labels.method === 'GET' && v.labels.status === '200')?.value ?? 0;

    await send('GET', poll('job-1?responseId=1'), { 'X-ONAP-RequestID': 'req-log' });

    expect(lines).toEqual([
      {
        level: 'debug',
        message: 'request',
        meta: { requestId: 'req-log', method: 'GET', path: poll('job-1'), status: 200, ms: expect.any(Number) as unknown },
      },
    ]);
    const counted = (await metrics.httpRequests.get()).values.find((v) => v.labels.method === 'GET' && v.labels.status === '200');
    expect(counted?.labels.route).toBe('/api/ciscovnfmdriver/v1/:vnfmid/jobs/:jobId');
    expect(counted?.value).toBe(before + 1);
    const timed = (await metrics.httpDuration.get()).values.find(
      (v) => v.metricName === 'http_request_duration_seconds_count' && v.labels.method === 'GET',
    );
    expect(timed?.value).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['an unknown job', 'GET', poll('job-2?responseId=1'), {}],
    ['no query', 'GET', poll('job-1'), {}],
    ['an empty responseId', 'GET', poll('job-1?responseId='), {}],
    ['a non-numeric responseId', 'GET', poll('job-1?responseId=x'), {}],
    ['another query parameter', 'GET', poll('job-1?responseId=1&x=2'), {}],
    ['a conditional request', 'GET', poll('job-1?responseId=1'), { 'If-None-Match': '*' }],
    ['a POST', 'POST', poll('job-1?responseId=1'), {}],
    ['another vnfm type', 'GET', '/api/othertype/v1/vnfm-1/jobs/job-1?responseId=1', {}],
    ['an encoded job id', 'GET', poll('job%2D1?responseId=1'), {}],
    ['another route', 'GET', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs/v-1', {}],
  ])('when the request has %s, then it goes to the app unchanged', async (_what, method, path, headers) => {
    const a = await send(method, path, headers);

    expect([a.status, a.body]).toEqual([418, 'from the app']);
    expect(toApp).toEqual([`${method} ${path}`]);
    expect(lines).toEqual([]);
  });
});

describe('createRequestListener with admitPost', () => {
  const JOB_BODY = '{"jobId":"job-1","responseDescriptor":{"responseId":"1"}}';
  const toApp: string[] = [];
  const queued: Array<() => void> = [];
  const sockets: Socket[] = [];
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    const lifecycle = {
      jobDescriptorJson: async (jobId: string): Promise<string> => {
        await Promise.resolve();
        if (jobId !== 'job-1') throw new Error(`job ${jobId} not found`);
        return JOB_BODY;
      },
    };
    // The app reads the whole body before answering, as Express's JSON parser does.
    const app: http.RequestListener = (req, res) => {
      toApp.push(`${req.method} ${req.url}`);
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => res.writeHead(202, { 'content-type': 'text/plain' }).end(`app got ${body}`));
    };
    const admitPost = (task: () => void): void => {
      queued.push(task);
    };
    server = http.createServer(
      createRequestListener(app, { vnfmType: 'ciscovnfmdriver', jobs: lifecycle, log: recordingLog([]), admitPost }),
    );
    server.on('connection', (s: Socket) => sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    toApp.length = 0;
    queued.length = 0;
    sockets.length = 0;
  });

  const until = (what: string, check: () => boolean, deadlineMs = 1500): Promise<void> => waitFor(check, deadlineMs, { what, pollMs: 5 });

  /** Sends a request; the answer's promise and the client request (to destroy it) are returned. */
  function start(method: string, path: string, body?: string): { answer: Promise<Answer>; req: http.ClientRequest } {
    return startRawRequest(port, method, path, { body, agent: false });
  }

  const vnfs = '/api/ciscovnfmdriver/v1/vnfm-1/vnfs';
  const poll = (rest: string): string => `/api/ciscovnfmdriver/v1/vnfm-1/jobs/${rest}`;

  it('when a POST arrives, then it reaches the app only once its queued task runs, body and all', async () => {
    const { answer } = start('POST', vnfs, '{"vnfInstanceName":"fw-1"}');
    let answered = false;
    void answer.then(
      () => (answered = true),
      () => undefined,
    );

    await until('the POST is queued', () => queued.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(toApp).toEqual([]);
    expect(answered).toBe(false);

    queued.shift()!();

    expect(toApp).toEqual([`POST ${vnfs}`]);
    await expect(answer).resolves.toMatchObject({ status: 202, body: 'app got {"vnfInstanceName":"fw-1"}' });
  });

  it('when several POSTs are queued, then they reach the app in the order their tasks run', async () => {
    const first = start('POST', `${vnfs}?n=1`, '{"n":1}');
    await until('the first POST is queued', () => queued.length === 1);
    const second = start('POST', `${vnfs}?n=2`, '{"n":2}');
    await until('the second POST is queued', () => queued.length === 2);

    const [runFirst, runSecond] = queued.splice(0);
    runSecond();
    runFirst();

    expect(toApp).toEqual([`POST ${vnfs}?n=2`, `POST ${vnfs}?n=1`]);
    await expect(first.answer).resolves.toMatchObject({ status: 202, body: 'app got {"n":1}' });
    await expect(second.answer).resolves.toMatchObject({ status: 202, body: 'app got {"n":2}' });
  });

  it.each([
    ['another route', 'GET', `${vnfs}/v-1`],
    ['a poll of an unknown job', 'GET', poll('job-2?responseId=1')],
    ['a poll whose query needs parsing', 'GET', poll('job-1?responseId=1&x=2')],
    ['a DELETE', 'DELETE', `${vnfs}/v-1`],
  ])('when the request is %s, then it goes to the app without being queued', async (_what, method, path) => {
    const a = await start(method, path).answer;

    expect([a.status, a.body]).toEqual([202, 'app got ']);
    expect(toApp).toEqual([`${method} ${path}`]);
    expect(queued).toEqual([]);
  });

  it('when a poll is answered by the listener, then it is neither queued nor sent to the app', async () => {
    const a = await start('GET', poll('job-1?responseId=0')).answer;

    expect([a.status, a.body]).toEqual([200, JOB_BODY]);
    expect(toApp).toEqual([]);
    expect(queued).toEqual([]);
  });

  it('when a GET arrives while a POST waits in the queue, then the GET is answered first', async () => {
    const post = start('POST', vnfs, '{"late":true}');
    await until('the POST is queued', () => queued.length === 1);

    const got = await start('GET', `${vnfs}/v-1`).answer;

    expect(got.status).toBe(202);
    expect(toApp).toEqual([`GET ${vnfs}/v-1`]);
    queued.shift()!();
    await expect(post.answer).resolves.toMatchObject({ status: 202, body: 'app got {"late":true}' });
    expect(toApp).toEqual([`GET ${vnfs}/v-1`, `POST ${vnfs}`]);
  });

  it('when the client of a queued POST has gone when its task runs, then the POST never reaches the app', async () => {
    const { answer, req } = start('POST', vnfs, '{"vnfInstanceName":"gone"}');
    const failed = answer.then(
      () => 'answered',
      () => 'failed',
    );
    await until('the POST is queued', () => queued.length === 1);
    const serverSide = sockets[0];

    req.destroy();
    await until('the server side of the connection is destroyed', () => serverSide.destroyed);
    queued.shift()!();

    expect(toApp).toEqual([]);
    expect(await failed).toBe('failed');

    // The next POST, whose client waits, goes through.
    const next = start('POST', vnfs, '{"vnfInstanceName":"stays"}');
    await until('the next POST is queued', () => queued.length === 1);
    queued.shift()!();
    await expect(next.answer).resolves.toMatchObject({ status: 202, body: 'app got {"vnfInstanceName":"stays"}' });
    expect(toApp).toEqual([`POST ${vnfs}`]);
  });
});
