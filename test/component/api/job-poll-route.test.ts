import { PassThrough } from 'node:stream';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../src/logging/logger';
import { startService, type RunningService } from '../../../src/main';
import { createMetrics, type Metrics } from '../../../src/metrics';
import type { DriverAnswer } from '../../support/http-service';
import { rawRequest, type RawAnswer as Answer } from '../../support/raw-http';
import { waitFor } from '../../support/waiting';

function request(port: number, method: string, urlPath: string, headers: Record<string, string> = {}): Promise<Answer> {
  return rawRequest(port, method, urlPath, { headers });
}

/** Headers that must be the same whichever way the answer was produced (request ids differ when generated). */
function comparable(a: Answer): Record<string, unknown> {
  const { date: _date, 'x-onap-requestid': _id, 'x-transactionid': _tx, ...rest } = a.headers;
  return { status: a.status, body: a.body, headers: rest, headerOrder: Object.keys(a.headers).filter((h) => h !== 'date') };
}

describe('job-status poll route', () => {
  let svc: RunningService;
  let dir: string;
  let metrics: Metrics;
  const lines: Record<string, unknown>[] = [];
  const fast = (jobPath: string): string => `/api/ciscovnfmdriver/v1/vnfm-1/jobs/${jobPath}`;
  // The same route reached through the generic chain: a percent-encoded vnfm type does not match the fast route.
  const generic = (jobPath: string): string => `/api/ciscovnfmdriv%65r/v1/vnfm-1/jobs/${jobPath}`;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'job-poll-route-'));
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) =>
      lines.push(
        ...c
          .toString()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      ),
    );
    metrics = createMetrics({ collectDefaults: false });
    svc = await startService({
      config: { port: 0, host: '127.0.0.1', storePath: path.join(dir, 'driver.db'), logLevel: 'debug' },
      log: createLogger({ level: 'debug', stream }),
      metrics,
    });
    await svc.store.createJob({
      jobId: 'job-1',
      operation: 'instantiate',
      vnfInstanceId: 'v1',
      vnfmId: 'vnfm-1',
      request: {},
      requestId: 'r',
      statusDescription: 'accepted',
    });
    await svc.store.appendEntry('job-1', { status: 'processing', progress: 10, statusDescription: 'quote " and é' });
    await svc.store.appendEntry('job-1', { status: 'processing', progress: 60, statusDescription: 'VM_DEPLOYED' });
  });

  afterAll(async () => {
    await svc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const requestLines = (): Record<string, unknown>[] => lines.filter((l) => l.message === 'request');
  const pollCount = async (): Promise<number> =>
    (await metrics.httpRequests.get()).values
      .filter((v) => v.labels.route === '/api/ciscovnfmdriver/v1/:vnfmid/jobs/:jobId' && v.labels.status === '200')
      .reduce((sum, v) => sum + v.value, 0);

  it.each([
    ['job-1?responseId=0', {}],
    ['job-1?responseId=2', {}],
    ['job-1?responseId=3', {}],
    ['job-1?responseId=99', {}],
    ['job-1', {}],
    ['job-1?responseId=', {}],
    ['job-1?responseId=007', {}],
    ['job-1?responseId=1%32', {}],
    ['job-1?responseId=1&responseId=2', {}],
    ['job-1?responseId=abc', {}],
    ['job-1?responseId=-1', {}],
    ['job-1?responseId=1234567890123456', {}],
    ['job-1/?responseId=1', {}],
    ['job%2D1?responseId=1', {}],
    ['no-such-job?responseId=1', {}],
    ['job-1%ZZ?responseId=1', {}],
    ['job-1?responseId=1', { 'If-None-Match': '*' }],
  ])('when %s is polled (%j), then the answer is the one the generic chain gives', async (jobPath, headers) => {
    const viaFast = await request(svc.port, 'GET', fast(jobPath), headers);
    const viaGeneric = await request(svc.port, 'GET', generic(jobPath), headers);

    expect(comparable(viaFast)).toEqual(comparable(viaGeneric));
    expect(viaFast.headers['x-onap-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when NSLCM sends its request id, then it is echoed and logged once with method, path, status and ms (answered polls at debug)', async () => {
    const before = requestLines().length;
    const ok = await request(svc.port, 'GET', fast('job-1?responseId=1'), { 'X-ONAP-RequestID': 'onap-1' });
    const tx = await request(svc.port, 'HEAD', fast('job-1?responseId=1'), { 'X-TransactionID': 'tx-1' });
    const missing = await request(svc.port, 'GET', fast('nope?responseId=1'), { 'X-ONAP-RequestID': 'onap-2' });
    const bad = await request(svc.port, 'GET', fast('job-1%ZZ'), { 'X-ONAP-RequestID': 'onap-3' });
    // The logger writes its lines to the stream asynchronously.
    await waitFor(() => requestLines().length - before >= 4, 5000, { what: 'four request lines are logged' });

    expect([ok.headers['x-onap-requestid'], ok.headers['x-transactionid']]).toEqual(['onap-1', undefined]);
    expect([tx.status, tx.body, tx.headers['x-onap-requestid'], tx.headers['x-transactionid']]).toEqual([200, '', 'tx-1', 'tx-1']);
    expect([missing.status, missing.headers['x-onap-requestid']]).toEqual([404, 'onap-2']);
    expect([bad.status, bad.headers['x-onap-requestid']]).toEqual([400, 'onap-3']);
    const logged = requestLines().slice(before);
    const byId = (a: { requestId: unknown }, b: { requestId: unknown }): number => String(a.requestId).localeCompare(String(b.requestId));
    expect(
      logged.map(({ level, requestId, method, path: p, status }) => ({ level, requestId, method, path: p, status })).sort(byId),
    ).toEqual([
      { level: 'debug', requestId: 'onap-1', method: 'GET', path: fast('job-1'), status: 200 },
      { level: 'info', requestId: 'onap-2', method: 'GET', path: fast('nope'), status: 404 },
      { level: 'info', requestId: 'onap-3', method: 'GET', path: fast('job-1%ZZ'), status: 400 },
      { level: 'debug', requestId: 'tx-1', method: 'HEAD', path: fast('job-1'), status: 200 },
    ]);
    for (const l of logged) expect(typeof l.ms).toBe('number');
  });

  it('when polls are answered, then the metrics count them under the route pattern', async () => {
    const before = await pollCount();
    await request(svc.port, 'GET', fast('job-1?responseId=3'));
    await request(svc.port, 'GET', fast('job-1?responseId=3'));

    expect(await pollCount()).toBe(before + 2);

    expect((await metrics.httpRequests.get()).values.every((v) => !String(v.labels.route).includes('job-1'))).toBe(true);
  });

  it('when the vnfm type differs, even only in case, then the answer is 404 naming it', async () => {
    const other = await request(svc.port, 'GET', '/api/othertype/v1/vnfm-1/jobs/job-1?responseId=1');
    const upper = await request(svc.port, 'GET', '/api/CISCOVNFMDRIVER/v1/vnfm-1/jobs/job-1?responseId=1');
    const upperRest = await request(svc.port, 'GET', '/API/ciscovnfmdriver/V1/vnfm-1/JOBS/job-1?responseId=1');

    expect([other.status, (JSON.parse(other.body) as DriverAnswer).details[0].field]).toEqual([404, 'vnfmtype']);
    expect([upper.status, (JSON.parse(upper.body) as DriverAnswer).details[0].field]).toEqual([404, 'vnfmtype']);
    expect(upperRest.status).toBe(200);
  });

  it('when a job changes between polls, then the next poll shows the change', async () => {
    const first = JSON.parse((await request(svc.port, 'GET', fast('job-1?responseId=3'))).body) as DriverAnswer;
    await svc.store.appendEntry('job-1', { status: 'finished', progress: 100, statusDescription: 'done' });
    const second = JSON.parse((await request(svc.port, 'GET', fast('job-1?responseId=3'))).body) as DriverAnswer;

    expect(first.responseDescriptor).toMatchObject({ responseId: '3', responseHistoryList: [] });
    expect(second.responseDescriptor).toMatchObject({
      status: 'finished',
      responseId: '4',
      responseHistoryList: [{ responseId: '4', progress: 100 }],
    });
  });
});
