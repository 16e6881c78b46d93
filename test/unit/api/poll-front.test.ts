import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PollFront, PollFrontError, type PollFrontOptions } from '../../../src/api/poll-front';
import type { LogLevel } from '../../../src/logging/log';
import type { PollMetrics } from '../../../src/api/request-listener';
import { SqliteDriverStore } from '../../../src/jobs/sqlite-store';
import { freePort } from '../../support/free-port';
import { recordingLog, type Logged } from '../../support/recording-log';
import { rawRequest, startRawRequest, type RawAnswer } from '../../support/raw-http';
import { TS_THREAD_EXEC_ARGV } from '../../support/ts-threads';
import { track, waitFor } from '../../support/waiting';

jest.setTimeout(30_000);

interface Polled {
  method: 'GET' | 'HEAD';
  seconds: number;
}

function recordingMetrics(polls: Polled[]): PollMetrics {
  return { polled: (method, seconds) => polls.push({ method, seconds }) };
}

const REPORT_MS = 50;
const BACKEND_BODY = 'from the backend';
const newJob = (jobId: string, vnfInstanceId: string) => ({
  jobId, operation: 'instantiate' as const, vnfInstanceId, vnfmId: 'vnfm-1', request: {}, requestId: 'req-1', statusDescription: 'accepted',
});
const poll = (rest: string): string => `/api/ciscovnfmdriver/v1/vnfm-1/jobs/${rest}`;

describe('PollFront', () => {
  let dir: string;
  let storePath: string;
  let store: SqliteDriverStore;
  let backend: http.Server;
  let backendPort: number;
  const toBackend: Array<{ method: string; url: string; body: string }> = [];
  /** Every front started here, closed after each test. */
  const started: PollFront[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'poll-front-'));
    storePath = join(dir, 'driver.db');
    store = SqliteDriverStore.open(storePath);
    store.createJob(newJob('job-1', 'vnf-1'));
    store.appendEntry('job-1', { status: 'processing', progress: 30, statusDescription: 'deploying "vnf" é' });
    store.appendEntry('job-1', { status: 'processing', progress: 60, statusDescription: 'waiting for ESC' });
    backend = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        toBackend.push({ method: req.method!, url: req.url!, body });
        const answer = (): void => {
          res.writeHead(418, { 'content-type': 'text/plain' }).end(BACKEND_BODY);
        };
        if (req.url === '/slow') setTimeout(answer, 300);
        else answer();
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendPort = (backend.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((f) => f.close(2000)));
    toBackend.length = 0;
  });

  afterAll(async () => {
    backend.closeAllConnections();
    await new Promise<void>((resolve) => backend.close(() => resolve()));
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startFront(over: Partial<PollFrontOptions> & { lines?: Logged[]; polls?: Polled[] } = {}): Promise<PollFront> {
    const { lines = [], polls = [], ...rest } = over;
    const front = await PollFront.start({
      host: '127.0.0.1', port: 0, vnfmType: 'ciscovnfmdriver', storePath, backendPort, backendTimeoutMs: 5000,
      log: recordingLog(lines), logLevel: 'debug' as LogLevel, metrics: recordingMetrics(polls), reportIntervalMs: REPORT_MS,
      execArgv: TS_THREAD_EXEC_ARGV, ...rest,
    });
    started.push(front);
    return front;
  }

  function send(front: PollFront, method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
    return rawRequest(front.port, method, path, { ...opts, agent: false });
  }

  describe('answering', () => {
    it('when an existing job is polled with GET, then the front answers 200 with the store\'s text and the backend does not see it', async () => {
      const front = await startFront();

      for (const after of [0, 1, 2, 3, 99]) {
        const a = await send(front, 'GET', poll(`job-1?responseId=${after}`), { headers: { 'X-ONAP-RequestID': `req-${after}` } });

        expect(a.status).toBe(200);
        expect(a.body).toBe(store.jobDescriptorJson('job-1', after));
        expect(a.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(a.headers['content-length']).toBe(String(Buffer.byteLength(a.body)));
        expect(a.headers['x-onap-requestid']).toBe(`req-${after}`);
      }
      expect(toBackend).toEqual([]);
    });

    it('when an existing job is polled with HEAD, then the front answers 200 without a body and the backend does not see it', async () => {
      const front = await startFront();

      const a = await send(front, 'HEAD', poll('job-1?responseId=1'), { headers: { 'X-TransactionID': 'tx-1' } });

      expect([a.status, a.body, a.headers['x-onap-requestid'], a.headers['x-transactionid']]).toEqual([200, '', 'tx-1', 'tx-1']);
      expect(a.headers['content-length']).toBe(String(Buffer.byteLength(store.jobDescriptorJson('job-1', 1)!)));
      expect(toBackend).toEqual([]);
    });

    it.each([
      ['a poll of an unknown job', 'GET', poll('job-unknown?responseId=1'), undefined],
      ['a poll without responseId', 'GET', poll('job-1'), undefined],
      ['a POST', 'POST', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs', '{"vnfInstanceName":"v"}'],
      ['a GET of another path', 'GET', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs/vnf-1', undefined],
    ])('when the request is %s, then it reaches the backend and its 418 answer passes through', async (_what, method, path, body) => {
      const front = await startFront();

      const a = await send(front, method, path, body === undefined ? {} : { body });

      expect([a.status, a.body, a.headers['content-type']]).toEqual([418, BACKEND_BODY, 'text/plain']);
      expect(toBackend).toEqual([{ method, url: path, body: body ?? '' }]);
    });

    it('when 40 POSTs arrive at once with polls among them, then the polls are answered by the front and every POST reaches the backend with its body', async () => {
      const front = await startFront();
      const bodies = Array.from({ length: 40 }, (_, i) => `{"vnfInstanceName":"v${i}"}`);

      const answers = await Promise.all([
        ...bodies.map((body) => send(front, 'POST', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs', { body })),
        ...Array.from({ length: 10 }, () => send(front, 'GET', poll('job-1?responseId=1'))),
      ]);

      expect(answers.map((a) => a.status)).toEqual([...bodies.map(() => 418), ...Array.from({ length: 10 }, () => 200)]);
      expect(toBackend.map((r) => r.body).sort()).toEqual([...bodies].sort());
      expect(toBackend.every((r) => r.method === 'POST')).toBe(true);
    });

    it('when the writer appends an entry, then the next poll shows it', async () => {
      store.createJob(newJob('job-append', 'vnf-append'));
      const front = await startFront();
      const before = await send(front, 'GET', poll('job-append?responseId=1'));
      expect(before.body).toBe(store.jobDescriptorJson('job-append', 1));
      expect(JSON.parse(before.body).responseDescriptor.responseId).toBe('1');

      store.appendEntry('job-append', { status: 'processing', progress: 45, statusDescription: 'appended' });
      const after = await send(front, 'GET', poll('job-append?responseId=1'));

      expect(after.status).toBe(200);
      expect(after.body).toBe(store.jobDescriptorJson('job-append', 1));
      expect(JSON.parse(after.body).responseDescriptor).toMatchObject({ responseId: '2', progress: 45, statusDescription: 'appended' });
      expect(toBackend).toEqual([]);
    });

    it('when a job is created after the front started, then its first poll is answered by the front', async () => {
      const front = await startFront();
      const unknown = await send(front, 'GET', poll('job-new?responseId=0'));
      expect(unknown.status).toBe(418);

      store.createJob(newJob('job-new', 'vnf-new'));
      const known = await send(front, 'GET', poll('job-new?responseId=0'));

      expect([known.status, known.body]).toEqual([200, store.jobDescriptorJson('job-new', 0)]);
      expect(toBackend.map((r) => r.url)).toEqual([poll('job-new?responseId=0')]);
    });
  });

  describe('metrics and logs', () => {
    it('when polls are answered, then each is reported to the metrics once, within a few report intervals', async () => {
      const polls: Polled[] = [];
      const front = await startFront({ polls });

      for (let i = 0; i < 5; i++) expect((await send(front, 'GET', poll(`job-1?responseId=${i}`))).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await send(front, 'HEAD', poll(`job-1?responseId=${i}`))).status).toBe(200);
      // Neither proxied requests nor unknown jobs are counted here.
      expect((await send(front, 'GET', poll('job-unknown?responseId=0'))).status).toBe(418);
      expect((await send(front, 'POST', poll('job-1?responseId=0'), { body: '{}' })).status).toBe(418);

      await waitFor(() => polls.length >= 8, 10 * REPORT_MS, { what: 'the 8 answered polls are reported' });
      expect(polls.filter((p) => p.method === 'GET')).toHaveLength(5);
      expect(polls.filter((p) => p.method === 'HEAD')).toHaveLength(3);
      for (const p of polls) {
        expect(p.seconds).toBeGreaterThan(0);
        expect(p.seconds).toBeLessThan(1);
      }

      await front.close(2000);
      expect(polls).toHaveLength(8);
    });

    it('when polls are answered just before close(), then they are still reported exactly once', async () => {
      const polls: Polled[] = [];
      const front = await startFront({ polls, reportIntervalMs: 60_000 });

      const answers = await Promise.all([
        ...Array.from({ length: 10 }, (_, i) => send(front, 'GET', poll(`job-1?responseId=${i}`))),
        ...Array.from({ length: 4 }, (_, i) => send(front, 'HEAD', poll(`job-1?responseId=${i}`))),
      ]);
      expect(answers.map((a) => a.status)).toEqual(Array(14).fill(200));
      expect(polls).toEqual([]); // the next report would be a minute away

      await front.close(2000);

      expect(polls.filter((p) => p.method === 'GET')).toHaveLength(10);
      expect(polls.filter((p) => p.method === 'HEAD')).toHaveLength(4);
    });

    it('when a poll is answered at debug level, then its request line is logged through the log given', async () => {
      const lines: Logged[] = [];
      const front = await startFront({ lines });

      const a = await send(front, 'GET', poll('job-1?responseId=2'), { headers: { 'X-ONAP-RequestID': 'req-log' } });
      expect(a.status).toBe(200);

      await waitFor(() => lines.length >= 1, 10 * REPORT_MS, { what: 'the request line arrives' });
      expect(lines).toEqual([{
        level: 'debug', message: 'request',
        meta: { requestId: 'req-log', method: 'GET', path: poll('job-1'), status: 200, ms: expect.any(Number) },
      }]);
      expect(lines[0]!.meta!.ms).toBeGreaterThanOrEqual(0);
    });

    it('when the log level is info, then no debug line arrives but warnings do', async () => {
      const lines: Logged[] = [];
      const polls: Polled[] = [];
      // No backend: the proxied request is answered 502 by the front, which warns about it.
      const front = await startFront({ lines, polls, logLevel: 'info', backendPort: await freePort() });

      const proxied = await send(front, 'GET', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs/vnf-1?x=1');
      expect(proxied.status).toBe(502);
      const answered = await send(front, 'GET', poll('job-1?responseId=0'), { headers: { 'X-ONAP-RequestID': 'req-info' } });
      expect(answered.status).toBe(200);

      // The poll's report is sent after its request line would have been: once it is here, so would the line be.
      await waitFor(() => polls.length === 1, 10 * REPORT_MS, { what: 'the poll is reported' });
      expect(lines).toEqual([{
        level: 'warn', message: 'request not answered by the service',
        meta: { method: 'GET', path: '/api/ciscovnfmdriver/v1/vnfm-1/vnfs/vnf-1', status: 502, reason: 'ECONNREFUSED' },
      }]);
    });
  });

  describe('starting', () => {
    it('when started on port 0 without nice, then it listens on a real port at normal priority', async () => {
      const front = await startFront();

      expect(front.port).toBeGreaterThan(0);
      expect(front.port).toBeLessThan(65_536);
      expect(front.priority).toBe('normal (none asked)');
      expect((await send(front, 'GET', poll('job-1?responseId=0'))).status).toBe(200);
    });

    it('when started with nice -5, then the priority says it was taken or why it was refused', async () => {
      const front = await startFront({ nice: -5 });

      expect(front.priority === 'nice -5' || front.priority.startsWith('normal (nice -5 refused')).toBe(true);
      expect((await send(front, 'GET', poll('job-1?responseId=0'))).status).toBe(200);
    });

    it('when the port is held by another front, then starting rejects with EADDRINUSE naming host:port', async () => {
      const first = await startFront();

      const second = startFront({ port: first.port });

      await expect(second).rejects.toBeInstanceOf(PollFrontError);
      await expect(second).rejects.toMatchObject({ code: 'EADDRINUSE' });
      const err = (await second.catch((e: unknown) => e)) as PollFrontError;
      expect(err.message).toContain(`127.0.0.1:${first.port}`);
      expect(err.name).toBe('PollFrontError');
      // The first one keeps serving.
      expect((await send(first, 'GET', poll('job-1?responseId=0'))).status).toBe(200);
    });

    it('when the store file does not exist, then every start rejects with a PollFrontError about the store', async () => {
      const missing = join(dir, 'missing.db');
      const messages: string[] = [];

      // The thread ends right after it reports the failure: several starts make sure the report is what is told.
      for (let i = 0; i < 20; i++) {
        const err = await startFront({ storePath: missing }).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(PollFrontError);
        messages.push((err as PollFrontError).message);
      }

      expect(messages.filter((m) => !/cannot read the store/.test(m))).toEqual([]);
      expect(existsSync(missing)).toBe(false);
    });
  });

  describe('closing', () => {
    it('when closed with a proxied request in flight, then that request gets its answer and the port is then refused', async () => {
      const front = await startFront();
      const { answer } = startRawRequest(front.port, 'GET', '/slow', { agent: false });
      const client = track(answer);
      await waitFor(() => toBackend.some((r) => r.url === '/slow'), 5000, { what: 'the backend gets the slow request' });

      const closing = track(front.close(2000));
      await waitFor(() => client.state !== 'pending', 5000, { what: 'the in-flight request is answered' });
      expect(client.state).toBe('resolved');
      expect([client.value!.status, client.value!.body]).toEqual([418, BACKEND_BODY]);
      await waitFor(() => closing.state !== 'pending', 5000, { what: 'close() resolves' });
      expect(closing.state).toBe('resolved');

      await expect(rawRequest(front.port, 'GET', poll('job-1?responseId=0'), { agent: false })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    });

    it('when close() is called twice, at once and after, then both resolve', async () => {
      const front = await startFront();

      const a = front.close(2000);
      const b = front.close(2000);
      await expect(Promise.all([a, b])).resolves.toEqual([undefined, undefined]);
      await expect(front.close(2000)).resolves.toBeUndefined();

      await expect(rawRequest(front.port, 'GET', poll('job-1?responseId=0'), { agent: false })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    });
  });
});
