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
const ONE_NODE = /^\/api\/microservices\/v1\/services\/([^/]+)\/version\/([^/]+)\/nodes\/([^/]+)\/([^/]+)$/;

/** One node of a service as MSB lists it (`port` a string). */
export interface FakeMsbNode {
  ip: string;
  port: string;
  ttl?: number;
}

/** A service as the fake MSB keeps it: the fields of its first registration, and its nodes. */
export interface FakeMsbService {
  serviceName: string;
  version: string;
  url: string;
  protocol: string;
  visualRange?: string;
  nodes: FakeMsbNode[];
}

/**
 * A fake ONAP MSB service registry on 127.0.0.1, as strict as MSB's discovery API (its swagger: POST services,
 * GET and DELETE services/{name}/version/{v}, DELETE .../nodes/{ip}/{port}). A service is one name and version
 * with a list of nodes: a POST for a service that exists adds its nodes (a node with the same ip and port is
 * replaced), unless `?createOrUpdate=false`, which replaces the service; deleting a node leaves the others, and
 * the service goes with its last node. A body without serviceName, version, url, protocol or nodes (each with ip
 * and port) is refused with 422, a body that is not a JSON object with 400. It records every call, can go "down" (listener and connections closed) and come
 * back on the same port, can forget its registrations, and answers a whole-service DELETE with 500 while
 * deleting, as the real MSB does.
 */
export class FakeMsb {
  readonly calls: MsbCall[] = [];
  /** Services by name (every registration here is version v1 of its service). */
  readonly services = new Map<string, FakeMsbService>();
  /** Answer a whole-service DELETE with 500 (after deleting), like MSB. Set false to answer 204. */
  deleteAnswers500 = true;
  /** Answer a node DELETE with 500; 'after-delete' removes the node first, 'instead' leaves it. Default: answer 204. */
  nodeDeleteAnswers500: false | 'after-delete' | 'instead' = false;
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

  /** The nodes of a service as `ip:port`, in registration order; empty when the service is unknown. */
  nodesOf(serviceName: string): string[] {
    return (this.services.get(serviceName)?.nodes ?? []).map((n) => `${n.ip}:${n.port}`);
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
    const [path, query = ''] = (req.url ?? '/').split('?');
    const body = await readJson(req);
    this.calls.push({ method: req.method ?? '', path, headers: { ...req.headers }, ...(body === undefined ? {} : { body }) });
    const one = ONE_SERVICE.exec(path);
    const node = ONE_NODE.exec(path);
    if (req.method === 'POST' && path === SERVICES) return this.register(body, new URLSearchParams(query), res);
    if (one && req.method === 'GET') return this.lookup(decodeURIComponent(one[1]), decodeURIComponent(one[2]), res);
    if (one && req.method === 'DELETE') return this.remove(decodeURIComponent(one[1]), decodeURIComponent(one[2]), res);
    if (node && req.method === 'DELETE') {
      const [name, version, ip, port] = node.slice(1).map(decodeURIComponent);
      return this.removeNode(name, version, { ip, port }, res);
    }
    send(res, 404, { error: 'not found' });
  }

  private register(body: unknown, query: URLSearchParams, res: ServerResponse): void {
    if (typeof body !== 'object' || body === null) return send(res, 400, { error: 'body must be a MicroServiceInfo JSON object' });
    const problem = registrationProblem(body as Record<string, unknown>);
    if (problem) return send(res, 422, { error: problem });
    const info = body as FakeMsbService;
    const nodes = info.nodes.map((n) => ({ ...n, port: String(n.port) }));
    const existing = this.services.get(info.serviceName);
    if (existing === undefined || existing.version !== info.version || query.get('createOrUpdate') === 'false') {
      this.services.set(info.serviceName, { ...info, nodes });
    } else {
      const others = existing.nodes.filter((n) => !nodes.some((m) => sameNode(m, n)));
      existing.nodes = [...others, ...nodes];
    }
    send(res, 201, this.services.get(info.serviceName));
  }

  private lookup(name: string, version: string, res: ServerResponse): void {
    const found = this.services.get(name);
    if (found === undefined || found.version !== version) return send(res, 404, { error: `microservice not found: ${name}` });
    send(res, 200, found);
  }

  private remove(name: string, version: string, res: ServerResponse): void {
    const existed = this.services.get(name)?.version === version && this.services.delete(name);
    if (this.deleteAnswers500) return send(res, 500, { error: 'internal error' });
    send(res, existed ? 204 : 404, existed ? undefined : { error: 'not found' });
  }

  private removeNode(name: string, version: string, node: FakeMsbNode, res: ServerResponse): void {
    if (this.nodeDeleteAnswers500 === 'instead') return send(res, 500, { error: 'delete node fail' });
    const found = this.services.get(name);
    const kept = found?.version === version ? found.nodes.filter((n) => !sameNode(n, node)) : undefined;
    const removed = found !== undefined && kept !== undefined && kept.length < found.nodes.length;
    if (removed && kept.length === 0) this.services.delete(name);
    else if (removed) found.nodes = kept;
    if (this.nodeDeleteAnswers500 === 'after-delete') return send(res, 500, { error: 'delete node fail' });
    send(res, removed ? 204 : 404, removed ? undefined : { error: `node not found: ${node.ip}:${node.port}` });
  }
}

function sameNode(a: FakeMsbNode, b: FakeMsbNode): boolean {
  return a.ip === b.ip && String(a.port) === String(b.port);
}

/** Why MSB would refuse this registration body, or undefined when it is complete. */
function registrationProblem(b: Record<string, unknown>): string | undefined {
  for (const field of ['serviceName', 'version', 'url', 'protocol']) {
    if (typeof b[field] !== 'string' || b[field] === '') return `${field} required`;
  }
  if (!Array.isArray(b.nodes) || b.nodes.length === 0) return 'nodes required';
  for (const n of b.nodes as unknown[]) {
    const node = n as Record<string, unknown> | null;
    if (typeof node?.ip !== 'string' || node.ip === '') return 'node ip required';
    if (!(typeof node.port === 'string' || typeof node.port === 'number') || String(node.port) === '') return 'node port required';
  }
  return undefined;
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
