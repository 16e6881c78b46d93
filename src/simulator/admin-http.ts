import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultBook } from './fault-book';
import type { RunningSimulator } from './simulator-types';

/** The HTTP admin API, bound to 127.0.0.1. */
export interface AdminHttp {
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
      if (body.length > MAX_BODY) req.destroy(new Error('body too large'));
    });
    req.on('end', () => {
      try {
        resolve(body.trim() === '' ? undefined : JSON.parse(body));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    req.on('error', reject);
  });
}

const outcomeOf = (b: Record<string, unknown>): 'success' | 'failure' => (b.fail === true ? 'failure' : 'success');

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('body must be a JSON object');
  return body as Record<string, unknown>;
}

function stringField(b: Record<string, unknown>, name: string): string {
  const v = b[name];
  if (typeof v !== 'string' || v === '') throw new Error(`${name} must be a non-empty string`);
  return v;
}

/** `{vm, fail?}`: the VM (name or id) goes down; ESC's auto recovery runs when its group asks for it, failing when `fail` is true. */
function killVm(sim: RunningSimulator, body: unknown): void {
  const b = objectBody(body);
  sim.killVm(stringField(b, 'vm'), outcomeOf(b));
}

/** `{tenant, deployment, vmGroup, fail?}`: ESC's monitors scale the group out or in by one VM. */
function elasticScale(sim: RunningSimulator, route: string, body: unknown): void {
  const b = objectBody(body);
  const target = { tenant: stringField(b, 'tenant'), deployment: stringField(b, 'deployment'), vmGroup: stringField(b, 'vmGroup') };
  sim.elasticScale(route.endsWith('out') ? 'out' : 'in', target, outcomeOf(b));
}

/**
 * Small admin API for scripts and tests: GET /faults, PUT /faults (JSON array: replace),
 * POST /faults (one rule: add), DELETE /faults, GET /snapshot, POST /drop-connections, POST /down ({"ms": N}); ESC-initiated workflows:
 * POST /kill-vm `{vm, fail?}`, POST /scale-out and POST /scale-in `{tenant, deployment, vmGroup, fail?}`.
 */
export async function startAdminHttp(sim: RunningSimulator, faults: FaultBook, port: number): Promise<AdminHttp> {
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const route = `${req.method} ${req.url?.split('?')[0]}`;
    readBody(req)
      .then((body) => {
        if (route === 'GET /faults') return send(res, 200, faults.list());
        if (route === 'PUT /faults') return send(res, 200, (faults.set([body ?? []].flat() as never[]), faults.list()));
        if (route === 'POST /faults') return send(res, 201, (faults.add(body as never), faults.list()));
        if (route === 'DELETE /faults') return send(res, 200, (faults.clear(), []));
        if (route === 'GET /snapshot') return send(res, 200, sim.snapshot());
        if (route === 'POST /drop-connections') return send(res, 200, (sim.dropConnections(), { ok: true }));
        if (route === 'POST /kill-vm') return send(res, 202, (killVm(sim, body), { ok: true }));
        if (route === 'POST /scale-out' || route === 'POST /scale-in')
          return send(res, 202, (elasticScale(sim, route, body), { ok: true }));
        if (route === 'POST /down') return send(res, 200, (sim.goDown(downMs(body)), { ok: true }));
        send(res, 404, { error: `no route ${route}` });
      })
      .catch((err: Error) => send(res, 400, { error: err.message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The `ms` of a POST /down body: how long the simulator refuses every connection. */
function downMs(body: unknown): number {
  const ms = (body as { ms?: unknown } | undefined)?.ms;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new Error('POST /down needs {"ms": N} with N >= 0');
  return ms;
}
