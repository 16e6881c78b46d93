import net from 'node:net';

/** One answer: status code and body text (UTF-8). */
export interface LeanAnswer {
  status: number;
  body: string;
}

interface Exchange {
  resolve(a: LeanAnswer): void;
  reject(err: Error): void;
}

const HEADER_END = Buffer.from('\r\n\r\n');
/** Longest time an idle connection is kept for reuse, ms. */
const IDLE_MS = 4_000;

/**
 * A minimal HTTP/1.1 keep-alive client for load generators: one request at a time per connection, idle
 * connections reused, answers framed by Content-Length or chunked transfer coding. It does a fraction of the work
 * of node:http's client per request, so that a process issuing thousands of requests per second adds as little
 * as possible of its own time to the round trips it measures. Not a general client: no redirects, no trailers,
 * no 1xx, no request bodies other than JSON text.
 */
export class LeanHttpClient {
  private readonly idle: LeanConnection[] = [];
  private readonly all = new Set<LeanConnection>();

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  request(method: string, path: string, body?: string): Promise<LeanAnswer> {
    let conn = this.idle.pop();
    // Idle connections are given up after IDLE_MS, before the server's keep-alive timeout (5 s for node:http)
    // closes them: a request sent on a connection the server is closing would fail.
    while (conn && Date.now() - conn.idleSince > IDLE_MS) {
      this.forget(conn);
      conn.destroy();
      conn = this.idle.pop();
    }
    if (!conn) {
      conn = new LeanConnection(
        this.host,
        this.port,
        (c) => this.idle.push(c),
        (c) => this.forget(c),
      );
      this.all.add(conn);
    }
    return conn.send(method, path, body, this.host);
  }

  /** Closes every connection; requests in flight fail. */
  close(): void {
    for (const c of this.all) c.destroy();
    this.all.clear();
    this.idle.length = 0;
  }

  private forget(c: LeanConnection): void {
    this.all.delete(c);
    const i = this.idle.indexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
  }
}

class LeanConnection {
  private readonly socket: net.Socket;
  private pending?: Exchange;
  private buf: Buffer = Buffer.alloc(0);
  /** When the last answer on this connection was complete (Date.now()). */
  idleSince = 0;

  constructor(
    host: string,
    port: number,
    private readonly onIdle: (c: LeanConnection) => void,
    private readonly onGone: (c: LeanConnection) => void,
  ) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new Error('connection closed')));
  }

  send(method: string, path: string, body: string | undefined, host: string): Promise<LeanAnswer> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      const head =
        body === undefined
          ? `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`
          : `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      this.socket.write(head);
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let answer: ReturnType<LeanConnection['parse']>;
    try {
      answer = this.parse();
    } catch (err) {
      this.fail(err as Error);
      this.socket.destroy();
      return;
    }
    if (!answer) return;
    const ex = this.pending;
    this.pending = undefined;
    this.buf = Buffer.alloc(0);
    if (answer.close) {
      this.onGone(this);
      this.socket.destroy();
    } else {
      this.idleSince = Date.now();
      this.onIdle(this);
    }
    ex?.resolve({ status: answer.status, body: answer.body });
  }

  /** The complete answer in the buffer, or undefined while more bytes are needed. */
  private parse(): { status: number; body: string; close: boolean } | undefined {
    const end = this.buf.indexOf(HEADER_END);
    if (end < 0) return undefined;
    const lines = this.buf.toString('latin1', 0, end).split('\r\n');
    const status = Number(lines[0].split(' ')[1]);
    let length = -1;
    let chunked = false;
    let close = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line
        .slice(colon + 1)
        .trim()
        .toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.includes('chunked');
      else if (name === 'connection') close = value === 'close';
    }
    const start = end + HEADER_END.length;
    if (!chunked) {
      const size = Math.max(0, length);
      if (this.buf.length < start + size) return undefined;
      return { status, body: this.buf.toString('utf8', start, start + size), close };
    }
    const parts: Buffer[] = [];
    let at = start;
    for (;;) {
      const lineEnd = this.buf.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(this.buf.toString('latin1', at, lineEnd), 16);
      if (Number.isNaN(size)) throw new Error('bad chunk size');
      const dataStart = lineEnd + 2;
      if (this.buf.length < dataStart + size + 2) return undefined;
      if (size === 0) return { status, body: Buffer.concat(parts).toString('utf8'), close };
      parts.push(this.buf.subarray(dataStart, dataStart + size));
      at = dataStart + size + 2;
    }
  }

  private fail(err: Error): void {
    this.onGone(this);
    const ex = this.pending;
    this.pending = undefined;
    ex?.reject(err);
  }
}
