import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Schedule } from '../../../src/async/turn-scheduler';
import { silentLog } from '../../../src/logging/log';
import { HttpCaller, type HttpCallerOptions } from '../../../src/nslcm/http-caller';
import { NslcmError } from '../../../src/nslcm/nslcm-errors';
import { AbortedError, type RetryPolicy } from '../../../src/nslcm/retry-policy';
import { track, waitFor } from '../../support/waiting';

const fastRetry: RetryPolicy = { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 10, maxTotalMs: 5_000, jitter: 0 };

/** Turns the test hands out by hand: each task handed over waits until `release()`. */
function manualTurn(): { schedule: Schedule; calls: number; waiting: number; release(): void } {
  const gates: Array<() => void> = [];
  const t = {
    calls: 0,
    get waiting(): number {
      return gates.length;
    },
    schedule: (task: () => void): void => {
      t.calls++;
      gates.push(task);
    },
    release(): void {
      for (const g of gates.splice(0)) g();
    },
  };
  return t;
}

const until = (check: () => boolean, timeoutMs = 2_000): Promise<void> => waitFor(check, timeoutMs, { pollMs: 2 });

/** Gives the loop a few rounds, long enough for an answer that is not held back to arrive. */
async function aWhile(ms = 30): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('HttpCaller schedule', () => {
  let server: http.Server;
  let baseUrl: string;
  /** Statuses the server answers with, in order; 200 once used up. */
  let script: number[];
  let served: number;
  /** While set, answers are held until it resolves. */
  let hold: Promise<void> | undefined;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        void (async () => {
          const status = script[served++] ?? 200;
          if (hold) await hold;
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status, n: served }));
        })();
      });
    });
    server.keepAliveTimeout = 100;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    script = [];
    served = 0;
    hold = undefined;
  });

  const caller = (extra: Partial<HttpCallerOptions> = {}): HttpCaller =>
    new HttpCaller({ baseUrl, timeoutMs: 2_000, retry: fastRetry, log: silentLog, partnerName: 'ciscovnfmdriver', ...extra });

  it('when a schedule is given, then it is taken only once the answer is in, and the answer is handed back after it', async () => {
    const t = manualTurn();
    let answer!: () => void;
    hold = new Promise<void>((resolve) => (answer = resolve));
    const call = track(caller({ schedule: t.schedule }).request({ call: 'probe', method: 'GET', path: '/probe', expect: [200] }));

    await until(() => served === 1);
    await aWhile();
    expect(t.calls).toBe(0);
    expect(call.state).toBe('pending');

    answer();
    await until(() => t.calls === 1);
    await aWhile();
    expect(call.state).toBe('pending');

    t.release();
    await until(() => call.state !== 'pending');
    expect(call.state).toBe('resolved');
    expect(call.value).toEqual({ status: 200, data: { status: 200, n: 1 } });
    expect(t.calls).toBe(1);
  });

  it('when the answer is an unexpected status, then the failure is handed back only after the turn', async () => {
    script = [404];
    const t = manualTurn();
    const call = track(caller({ schedule: t.schedule }).request({ call: 'probe', method: 'GET', path: '/missing', expect: [200] }));

    await until(() => t.calls === 1);
    await aWhile();
    expect(call.state).toBe('pending');

    t.release();
    await until(() => call.state !== 'pending');
    expect(call.state).toBe('rejected');
    expect(call.error).toBeInstanceOf(NslcmError);
    expect(call.error).toMatchObject({ status: 404, attempts: 1, call: 'probe' });
    expect(served).toBe(1);
  });

  it('when the call is retried before it succeeds, then the turn is taken once, after the last attempt', async () => {
    script = [503, 502];
    const t = manualTurn();
    const call = track(
      caller({ schedule: t.schedule }).request({ call: 'probe', method: 'POST', path: '/retried', body: { a: 1 }, expect: [200] }),
    );

    await until(() => t.calls === 1);
    expect(served).toBe(3);
    await aWhile();
    expect(t.calls).toBe(1);
    expect(call.state).toBe('pending');

    t.release();
    await until(() => call.state !== 'pending');
    expect(call.value).toMatchObject({ status: 200, data: { n: 3 } });
    expect(t.calls).toBe(1);
  });

  it('when every attempt fails, then the turn is taken once and the final error comes after it', async () => {
    script = [503, 503, 503];
    const t = manualTurn();
    const call = track(caller({ schedule: t.schedule }).request({ call: 'probe', method: 'GET', path: '/down', expect: [200] }));

    await until(() => t.calls === 1);
    expect(served).toBe(3);
    await aWhile();
    expect(call.state).toBe('pending');

    t.release();
    await until(() => call.state !== 'pending');
    expect(call.error).toMatchObject({ status: 503, attempts: 3 });
    expect(t.calls).toBe(1);
  });

  it('when nothing listens at the address, then the connection failure is handed back after the turn', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const t = manualTurn();
    const call = track(
      caller({ baseUrl: `http://127.0.0.1:${port}`, schedule: t.schedule }).request({
        call: 'probe',
        method: 'GET',
        path: '/x',
        expect: [200],
        noRetry: true,
      }),
    );

    await until(() => t.calls === 1);
    await aWhile();
    expect(call.state).toBe('pending');

    t.release();
    await until(() => call.state !== 'pending');
    expect(call.error).toBeInstanceOf(NslcmError);
    expect((call.error as Error).message).toMatch(/connection failed/);
  });

  it('when the caller aborts a held call, then the AbortedError is handed back after the turn', async () => {
    let answer!: () => void;
    hold = new Promise<void>((resolve) => (answer = resolve));
    const t = manualTurn();
    const ac = new AbortController();
    const call = track(
      caller({ schedule: t.schedule }).request({ call: 'probe', method: 'GET', path: '/held', expect: [200], signal: ac.signal }),
    );
    await until(() => served === 1);

    ac.abort();
    await until(() => t.calls === 1);
    await aWhile();
    expect(call.state).toBe('pending');

    t.release();
    await until(() => call.state !== 'pending');
    expect(call.error).toBeInstanceOf(AbortedError);
    answer();
  });

  it('when several calls are made, then each takes its own turn', async () => {
    const t = manualTurn();
    const http1 = caller({ schedule: t.schedule });
    const calls = [1, 2, 3].map((i) => track(http1.request({ call: 'probe', method: 'GET', path: `/p${i}`, expect: [200] })));

    await until(() => t.calls === 3);
    await aWhile();
    expect(calls.map((c) => c.state)).toEqual(['pending', 'pending', 'pending']);
    expect(t.waiting).toBe(3);

    t.release();
    await until(() => calls.every((c) => c.state !== 'pending'));
    expect(calls.map((c) => c.state)).toEqual(['resolved', 'resolved', 'resolved']);
  });

  it('when no schedule is given, then the answer is handed back as soon as it arrives', async () => {
    script = [503];
    await expect(caller().request({ call: 'probe', method: 'GET', path: '/plain', expect: [200] })).resolves.toMatchObject({ status: 200 });
    await expect(caller().request({ call: 'probe', method: 'GET', path: '/plain', expect: [201] })).rejects.toMatchObject({
      status: 200,
      attempts: 1,
    });
  });
});
