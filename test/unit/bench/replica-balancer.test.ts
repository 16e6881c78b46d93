import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReplicaBalancer } from '../../../bench/lib/replica-balancer';
import { freePort } from '../../support/free-port';
import { waitFor } from '../../support/waiting';

/** An upstream answering its name; `hold` keeps its answers back until released. */
async function upstream(
  name: string,
): Promise<{ port: number; hold: boolean; held: () => number; release: () => void; close: () => Promise<void> }> {
  const waiting: Array<() => void> = [];
  const u = {
    port: 0,
    hold: false,
    held: () => waiting.length,
    release: () => waiting.splice(0).forEach((f) => f()),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const answer = (): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, body }));
      if (u.hold) waiting.push(answer);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  u.port = (server.address() as AddressInfo).port;
  return u;
}

describe('ReplicaBalancer', () => {
  let balancer: ReplicaBalancer;
  const closers: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    balancer = await ReplicaBalancer.start();
  });

  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
    await balancer.stop();
  });

  const call = async (body?: string): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${balancer.url}/x`, { method: body === undefined ? 'GET' : 'POST', body });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('when two replicas are routable, then requests alternate between them, bodies included', async () => {
    const [a, b] = [await upstream('a'), await upstream('b')];
    closers.push(a.close, b.close);
    balancer.setTargets([a.port, b.port]);

    const names = [];
    for (let i = 0; i < 4; i++) names.push((await call('{"n":1}')).json);

    expect(names.map((n) => n.name)).toEqual(['a', 'b', 'a', 'b']);
    expect(names[0].body).toBe('{"n":1}');
  });

  it('when a routable replica refuses the connection, then the request goes to the next one', async () => {
    const a = await upstream('a');
    closers.push(a.close);
    balancer.setTargets([await freePort(), a.port]);

    expect(await call()).toEqual({ status: 200, json: { name: 'a', body: '' } });
    expect(await call()).toEqual({ status: 200, json: { name: 'a', body: '' } });
  });

  it('when no replica is routable, then the balancer answers 502 itself and counts it', async () => {
    const answer = await call();

    expect(answer.status).toBe(502);
    expect([...balancer.gatewayErrors.values()]).toEqual([1]);
  });

  it('when a replica is taken out, then drain waits for the request it still holds', async () => {
    const a = await upstream('a');
    closers.push(a.close);
    balancer.setTargets([a.port]);
    a.hold = true;
    const pending = call();
    await waitFor(() => a.held() === 1, 5000, { what: 'the replica to hold the request' });
    balancer.setTargets([]);
    let drained = false;
    const draining = balancer.drain(a.port).then(() => (drained = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(drained).toBe(false);

    a.release();
    await draining;

    expect((await pending).json.name).toBe('a');
  });
});
