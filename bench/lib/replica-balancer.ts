import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Bound on one forwarded request, ms: a replica that takes longer is answered for with 504. */
const UPSTREAM_TIMEOUT_MS = 30_000;

/**
 * What stands between NSLCM and the driver's replicas (MSB's gateway, a Kubernetes Service): an HTTP proxy on
 * 127.0.0.1 that sends each request to the next replica in turn among those routable (ready). A replica taken out
 * of the rotation gets no new request; {@link ReplicaBalancer.drain} waits for the requests it still holds, so that a
 * fault injected afterwards hits the replica's background work, not a request in flight. A request whose connection
 * is refused (nothing was sent) goes to the next replica; any other failure is answered 502, as a gateway does.
 */
export class ReplicaBalancer {
  private targets: number[] = [];
  private next = 0;
  private readonly inFlight = new Map<number, number>();
  /** Requests answered 502/504 by the balancer itself, by reason. */
  readonly gatewayErrors = new Map<string, number>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  /** Listens on 127.0.0.1 and a free port; no replica is routable until {@link setTargets}. */
  static async start(): Promise<ReplicaBalancer> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const balancer = new ReplicaBalancer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => balancer.forward(req, res));
    return balancer;
  }

  /** The ports of the replicas that take requests from now on. */
  setTargets(ports: readonly number[]): void {
    this.targets = [...ports];
  }

  /** Resolves once no request forwarded to `port` is unanswered, or after `maxMs`. */
  async drain(port: number, maxMs = 5000): Promise<void> {
    const until = Date.now() + maxMs;
    while ((this.inFlight.get(port) ?? 0) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.attempt(req, res, Buffer.concat(chunks), this.targets.length));
  }

  private attempt(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, triesLeft: number): void {
    if (this.targets.length === 0 || triesLeft <= 0) return this.fail(res, 502, 'no replica accepted the connection');
    const port = this.targets[this.next++ % this.targets.length];
    this.inFlight.set(port, (this.inFlight.get(port) ?? 0) + 1);
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      this.inFlight.set(port, (this.inFlight.get(port) ?? 1) - 1);
    };
    const upstream = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, connection: 'close' }, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.once('end', settle);
        answer.once('error', settle);
      },
    );
    upstream.setTimeout(UPSTREAM_TIMEOUT_MS, () => {
      settle();
      upstream.destroy();
      this.fail(res, 504, `replica on port ${port} gave no answer within ${UPSTREAM_TIMEOUT_MS} ms`);
    });
    upstream.once('error', (err: NodeJS.ErrnoException) => {
      settle();
      if (res.headersSent) return void res.destroy();
      if (err.code === 'ECONNREFUSED') return this.attempt(req, res, body, triesLeft - 1);
      this.fail(res, 502, `replica on port ${port}: ${err.code ?? err.message}`);
    });
    upstream.end(body);
  }

  private fail(res: http.ServerResponse, status: number, reason: string): void {
    const key = reason.replace(/port \d+/, 'port N');
    this.gatewayErrors.set(key, (this.gatewayErrors.get(key) ?? 0) + 1);
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: reason }));
  }
}
