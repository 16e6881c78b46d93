import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake MSB received. */
export interface MsbCall {
  method: string;
  path: string;
  body?: unknown;
  /** Request headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
}

const SERVICES = '/api/microservices/v1/services';
const ONE_SERVICE = /^\/api\/microservices\/v1\/services\/([^/]+)\/version\/([^/]+)$/;

/**
 * A fake ONAP MSB service registry on 127.0.0.1. It keeps registrations in memory, records every
 * call, can go "down" (listener and connections closed) and come back on the same port, can
 * forget its registrations, and answers DELETE with 500 while deleting, as the real MSB does.
 */
export class FakeMsb {
  readonly calls: MsbCall[] = [];
  readonly services = new Map<string, unknown>();
  /** Answer DELETE with 500 (after deleting), like MSB. Set false to answer 204. */
  deleteAnswers500 = true;
  private server?: Server;
  private portNumber = 0;

  /** Starts a fake MSB on 127.0.0.1 and a free port, or, with `startDown`, only reserves the port. */
  static async start(opts: { startDown?: boolean } = {}): Promise<FakeMsb> {
    const msb = new FakeMsb();
    await msb.up();
    if (opts.startDown) await msb.down();
    return msb;
  }

  get port(): number {
    return this.portNumber;
  }

  get url(): string {
    return `http://127.0.0.1:${this.portNumber}`;
  }

  /** Listens again (on the same port once one was assigned). */
  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.portNumber, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.portNumber = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Closes the listener and every open connection: calls now get "connection refused". */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** MSB lost its state (restart without persistence). */
  forget(): void {
    this.services.clear();
  }

  /** Calls matching method (and path when given). */
  callsOf(method: string, path?: string): MsbCall[] {
    return this.calls.filter((c) => c.method === method && (path === undefined || c.path === path));
  }

  /** Resolves once `predicate` holds, polling every 10 ms; rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`fake MSB: ${what} not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const body = await readJson(req);
    this.calls.push({ method: req.method ?? '', path, headers: { ...req.headers }, ...(body === undefined ? {} : { body }) });
    const one = ONE_SERVICE.exec(path);
    if (req.method === 'POST' && path === SERVICES) return this.register(body, res);
    if (one && req.method === 'GET') return this.lookup(decodeURIComponent(one[1]), res);
    if (one && req.method === 'DELETE') return this.remove(decodeURIComponent(one[1]), res);
    send(res, 404, { error: 'not found' });
  }

  private register(body: unknown, res: ServerResponse): void {
    const name = (body as { serviceName?: unknown } | undefined)?.serviceName;
    if (typeof name !== 'string') return send(res, 400, { error: 'serviceName required' });
    this.services.set(name, body);
    send(res, 201, body);
  }

  private lookup(name: string, res: ServerResponse): void {
    const found = this.services.get(name);
    if (found === undefined) return send(res, 404, { error: `microservice not found: ${name}` });
    send(res, 200, found);
  }

  private remove(name: string, res: ServerResponse): void {
    const existed = this.services.delete(name);
    if (this.deleteAnswers500) return send(res, 500, { error: 'internal error' });
    send(res, existed ? 204 : 404, existed ? undefined : { error: 'not found' });
  }
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
