import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestListener, httpPollMetrics } from '../../../src/api/request-listener';
import { createMetrics } from '../../../src/metrics';
import { recordingLog, type Logged } from '../../support/recording-log';
import { rawRequest, type RawAnswer as Answer } from '../../support/raw-http';

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
      jobDescriptorJson: (jobId: string, after: number): string => {
        asked.push([jobId, after]);
        if (jobId !== 'job-1') throw new Error(`job ${jobId} not found`);
        return JOB_BODY;
      },
    };
    const app: http.RequestListener = (req, res) => {
      toApp.push(`${req.method} ${req.url}`);
      res.writeHead(418, { 'content-type': 'text/plain' }).end('from the app');
    };
    server = http.createServer(createRequestListener(app, { vnfmType: 'ciscovnfmdriver', jobs: lifecycle, log: recordingLog(lines), metrics: httpPollMetrics(metrics, 'ciscovnfmdriver') }));
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
    const before = (await metrics.httpRequests.get()).values.find((v) => v.labels.method === 'GET' && v.labels.status === '200')?.value ?? 0;

    await send('GET', poll('job-1?responseId=1'), { 'X-ONAP-RequestID': 'req-log' });

    expect(lines).toEqual([{
      level: 'debug', message: 'request',
      meta: { requestId: 'req-log', method: 'GET', path: poll('job-1'), status: 200, ms: expect.any(Number) },
    }]);
    const counted = (await metrics.httpRequests.get()).values.find((v) => v.labels.method === 'GET' && v.labels.status === '200');
    expect(counted?.labels.route).toBe('/api/ciscovnfmdriver/v1/:vnfmid/jobs/:jobId');
    expect(counted?.value).toBe(before + 1);
    const timed = (await metrics.httpDuration.get()).values.find((v) => v.metricName === 'http_request_duration_seconds_count' && v.labels.method === 'GET');
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
