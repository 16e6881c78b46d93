import { Client, type ClientChannel } from 'ssh2';
import { FrameDecoder, encodeFrame, type FramingMode } from '../../../src/netconf/framing';
import { parseXml, type XmlElement } from '../../../src/xml';

const HELLO_11 =
  '<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>';
const HELLO_10 = HELLO_11.replace('<capability>urn:ietf:params:netconf:base:1.1</capability>', '');

/** A bare NETCONF client for tests: sends raw request text (the guide's examples verbatim) and collects messages. */
export class RawNetconfClient {
  readonly replies: XmlElement[] = [];
  readonly notifications: XmlElement[] = [];
  serverHello?: XmlElement;
  closed = false;
  private readonly decoder = new FrameDecoder();
  private mode: FramingMode = 'eom';
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly conn: Client,
    private readonly ch: ClientChannel,
  ) {}

  static async connect(port: number, opts: { base10?: boolean; password?: string } = {}): Promise<RawNetconfClient> {
    const conn = new Client();
    const ch = await new Promise<ClientChannel>((resolve, reject) => {
      conn.on('error', reject);
      conn.on('ready', () => conn.subsys('netconf', (err, c) => (err ? reject(err) : resolve(c))));
      conn.connect({ host: '127.0.0.1', port, username: 'admin', password: opts.password ?? 'admin', readyTimeout: 5000 });
    });
    const c = new RawNetconfClient(conn, ch);
    ch.on('data', (d: Buffer) => c.onData(d));
    ch.on('close', () => {
      c.closed = true;
      c.wake();
    });
    conn.on('close', () => {
      c.closed = true;
      c.wake();
    });
    ch.write(encodeFrame(opts.base10 ? HELLO_10 : HELLO_11, 'eom'));
    await c.waitFor(() => c.serverHello !== undefined);
    c.mode = opts.base10 || !JSON.stringify(c.serverHello).includes('base:1.1') ? 'eom' : 'chunked';
    c.decoder.mode = c.mode;
    return c;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private onData(d: Buffer): void {
    this.decoder.push(d);
    for (let m = this.decoder.next(); m !== undefined; m = this.decoder.next()) {
      const el = parseXml(m);
      if (el.name === 'hello') this.serverHello = el;
      else if (el.name === 'notification') this.notifications.push(el);
      else this.replies.push(el);
    }
    this.wake();
  }

  /** Waits until `cond` holds (re-checked on every message), at most `timeoutMs`. */
  async waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for NETCONF messages');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Sends one raw message and returns the next reply. */
  async request(xmlText: string, timeoutMs = 5000): Promise<XmlElement> {
    const n = this.replies.length;
    this.ch.write(encodeFrame(xmlText, this.mode));
    await this.waitFor(() => this.replies.length > n, timeoutMs);
    return this.replies[n];
  }

  /** Waits for the notification with this event type (after `from` notifications). */
  async event(type: string, from = 0, timeoutMs = 5000): Promise<XmlElement> {
    const find = (): XmlElement | undefined => this.notifications.slice(from).find((n) => eventType(n) === type);
    await this.waitFor(() => find() !== undefined, timeoutMs);
    return find()!;
  }

  end(): void {
    this.conn.end();
  }
}

/** escEvent/event/type of a notification. */
export function eventType(n: XmlElement): string | undefined {
  const esc = n.children.find((c) => c.name === 'escEvent');
  return esc?.children
    .find((c) => c.name === 'event')
    ?.children.find((c) => c.name === 'type')
    ?.text.trim();
}

/** Subscribe request. */
export const SUBSCRIBE =
  '<rpc message-id="s1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><create-subscription xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><stream>escEvent</stream></create-subscription></rpc>';
