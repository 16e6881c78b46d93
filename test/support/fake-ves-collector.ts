import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { vesRequestProblems } from '../../src/ves/ves-event-checks';

/** One request the collector answered. */
export interface VesRequestSeen {
  path: string;
  status: number;
  /** Events the body held (whatever their validity). */
  count: number;
}

/** A VES event as the tests read it. */
export interface SeenVesEvent {
  commonEventHeader: { eventId: string; sourceName: string; sequence: number; domain: string; eventName: string };
  faultFields?: Record<string, unknown>;
  notificationFields?: Record<string, unknown>;
}

/** DCAE's VES collector as the driver meets it, on 127.0.0.1. */
export interface FakeVesCollector {
  url: string;
  /** Accepted events, in arrival order. */
  events: SeenVesEvent[];
  requests: VesRequestSeen[];
  /** Problems of refused bodies (400), one list per request. */
  refusals: string[][];
  /** Answers every request with this status (before any check) until set back to undefined. */
  answerWith(status: number | undefined): void;
  stop(): Promise<void>;
}

const SINGLE = '/eventListener/v7';
const BATCH = '/eventListener/v7/eventBatch';

/**
 * Starts a fake VES collector (test/fixtures/ves holds a certificate for 127.0.0.1 for its HTTPS): POST /eventListener/v7 and /eventListener/v7/eventBatch, HTTP basic auth checked
 * (401 otherwise), every event checked with the driver's VES 7.2.1 checks (400 and nothing kept when one fails),
 * 202 when accepted.
 */
export async function startFakeVesCollector(opts: {
  user: string;
  password: string;
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP. */
  tls?: { key: Buffer; cert: Buffer };
}): Promise<FakeVesCollector> {
  const expected = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;
  const events: SeenVesEvent[] = [];
  const requests: VesRequestSeen[] = [];
  const refusals: string[][] = [];
  let forced: number | undefined;
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const answer = (status: number, count = 0, body?: unknown): void => {
        requests.push({ path, status, count });
        res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      };
      if (req.method !== 'POST' || (path !== SINGLE && path !== BATCH)) return answer(404);
      if (req.headers.authorization !== expected) return answer(401, 0, { requestError: { policyException: { text: 'Unauthorized' } } });
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return answer(400, 0, { error: 'not JSON' });
      }
      const { events: got, problems } = vesRequestProblems(body, path === BATCH);
      if (forced !== undefined) return answer(forced, got.length);
      if (problems.length) {
        refusals.push(problems);
        return answer(400, got.length, { requestError: { serviceException: { text: problems.join('; ') } } });
      }
      events.push(...(got as SeenVesEvent[]));
      answer(202, got.length);
    });
  };
  const server = opts.tls ? https.createServer(opts.tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events,
    requests,
    refusals,
    answerWith: (status) => (forced = status),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
