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
  it('when a job is posted and polled, then it sends the last responseId back, counts a 404 and polls on, and stops on finished', async () => {
    const { server, port, seen } = await startJobServer();
    const poller = new NslcmPoller(`http://127.0.0.1:${port}`);
    try {
      const outcome = await poller.runOperation('/api/x/v1/m/vnfs', { a: 1 }, '/api/x/v1/m/jobs', 1, 5_000);

      expect(outcome).toMatchObject({ jobId: 'job-1', vnfInstanceId: 'vnf-1', last: { status: 'finished', responseId: '3' } });
      expect(outcome.pollsMs).toHaveLength(4);
      expect(outcome.postMs).toBeGreaterThan(0);
      expect([...poller.non2xx]).toEqual([[404, 1]]);
      expect(seen).toEqual([
        '/api/x/v1/m/jobs/job-1?responseId=0',
        '/api/x/v1/m/jobs/job-1?responseId=0',
        '/api/x/v1/m/jobs/job-1?responseId=1',
        '/api/x/v1/m/jobs/job-1?responseId=2',
      ]);
    } finally {
      await poller.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('when the operation POST is answered 409, then the operation fails naming the status and the answer is counted', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(409, { 'content-type': 'application/json' });
        res.end('{"detail":"busy"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const poller = new NslcmPoller(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      await expect(poller.runOperation('/vnfs', {}, '/jobs', 1, 5_000)).rejects.toThrow('POST /vnfs answered 409: {"detail":"busy"}');
      expect([...poller.non2xx]).toEqual([[409, 1]]);
    } finally {
      await poller.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
