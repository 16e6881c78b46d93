import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NslcmPoller } from '../../../bench/lib/nslcm-poller';

/** A job that answers 404 first, then walks through responseIds 1..3, the last one finished. */
function startJobServer(): Promise<{ server: http.Server; port: number; seen: string[] }> {
  const seen: string[] = [];
  let polls = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'POST') {
      req.resume();
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jobId: 'job-1', vnfInstanceId: 'vnf-1' }));
      });
      return;
    }
    seen.push(req.url!);
    polls++;
    if (polls === 1) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not yet"}');
      return;
    }
    const responseId = Math.min(polls - 1, 3);
    const status = responseId === 3 ? 'finished' : 'processing';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        jobId: 'job-1',
        responseDescriptor: {
          responseId: String(responseId),
          status,
          progress: responseId * 30,
          statusDescription: 's',
          responseHistoryList: [],
        },
      }),
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, seen })),
  );
}

describe('NslcmPoller', () => {
  it('when a job is posted and polled, then it sends the last responseId back, keeps polling on 404 and stops on finished', async () => {
    const { server, port, seen } = await startJobServer();
    const poller = new NslcmPoller('127.0.0.1', port);
    try {
      const outcome = await poller.runOperation('/api/x/v1/m/vnfs', { a: 1 }, '/api/x/v1/m/jobs', 5_000, 1);

      expect(outcome).toMatchObject({ jobId: 'job-1', vnfInstanceId: 'vnf-1', last: { status: 'finished', responseId: '3' }, polls: 4 });
      expect(outcome.latenciesMs).toHaveLength(4);
      expect(outcome.sentAtMs).toHaveLength(4);
      expect(outcome.sentAtMs.every((at, i) => i === 0 || at > outcome.sentAtMs[i - 1])).toBe(true);
      expect(outcome.postMs).toBeGreaterThan(0);
      expect(seen).toEqual([
        '/api/x/v1/m/jobs/job-1?responseId=0',
        '/api/x/v1/m/jobs/job-1?responseId=0',
        '/api/x/v1/m/jobs/job-1?responseId=1',
        '/api/x/v1/m/jobs/job-1?responseId=2',
      ]);
    } finally {
      poller.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
