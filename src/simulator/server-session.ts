import type { ServerChannel } from 'ssh2';
import type { Log } from '../logging/log';
import { FrameDecoder, encodeFrame, type FramingMode } from '../netconf/framing';
import { buildHello, chooseFraming, parseHello } from '../netconf/hello';
import { NETCONF_BASE_NS } from '../netconf/namespaces';
import { attrOf, escapeXmlAttr, parseXml, type XmlElement } from '../xml';
import { XML_DECL } from './esc-event-writer';
import { SimRpcError } from './sim-rpc-error';

const LF = 0x0a;
const HASH = 0x23;

function decimalDigits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** Bytes of a message of `bytes` bytes framed as one chunk: `\n#<size>\n`, the message, `\n##\n`. */
function chunkedSize(bytes: number): number {
  return 3 + decimalDigits(bytes) + bytes + 4;
}

/** Writes `body` framed as one chunk into `out` at `at`; returns the offset after it. */
function writeChunk(out: Buffer, at: number, body: Buffer): number {
  out[at++] = LF;
  out[at++] = HASH;
  let n = body.length;
  const digits = decimalDigits(n);
  for (let i = digits - 1; i >= 0; i--) {
    out[at + i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  at += digits;
  out[at++] = LF;
  out.set(body, at);
  at += body.length;
  out[at++] = LF;
  out[at++] = HASH;
  out[at++] = HASH;
  out[at++] = LF;
  return at;
}

/** What a session asks of the simulator for each request. */
export interface RpcDispatcher {
  /** Handles one RPC operation element; resolves to the reply body (e.g. '<ok/>'). */
  dispatch(session: ServerSession, op: XmlElement): Promise<string>;
  /** Reply delay (ms) for an RPC, from 'delay-reply' faults. */
  replyDelay(op: XmlElement): number;
}

/**
 * One NETCONF session on an SSH channel (RFC 6242): hello exchange, framing, request parsing by
 * namespace (ncclient sends `nc:rpc` with `urn:uuid:` message ids), replies echoing the rpc's
 * attributes, notifications for subscribers.
 */
export class ServerSession {
  private readonly decoder = new FrameDecoder();
  private mode: FramingMode = 'eom';
  private helloDone = false;
  private closed = false;
  /** True after create-subscription; ESC has no :interleave, so only close-session is accepted then. */
  subscribed = false;
  sentMessages = 0;
  private chain: Promise<void> = Promise.resolve();
  /**
   * Messages waiting for the next flush: bodies to be framed as one chunk each (base:1.1), or frames made
   * already (base:1.0). `pendingBytes` is the size of all of them framed.
   */
  private pending: (Buffer | { frame: Buffer })[] = [];
  private pendingBytes = 0;

  constructor(
    readonly id: number,
    private readonly channel: ServerChannel,
    private readonly capabilities: string[],
    private readonly dispatcher: RpcDispatcher,
    private readonly onSent: (s: ServerSession, deployment: string | undefined) => void,
    private readonly onClose: (s: ServerSession) => void,
    private readonly log: Log,
  ) {
    channel.on('data', (d: Buffer) => this.receive(d));
    channel.on('error', (err: Error) => this.log.debug('channel error', { session: id, error: err.message }));
    channel.on('close', () => this.close());
    this.write(buildHello(capabilities, id), undefined);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * Sends a notification already encoded as a whole message (XML declaration included, UTF-8), as
   * encodeEscEventMessage makes it: one encoding serves every subscribed session.
   */
  sendNotificationMessage(message: Buffer, deployment: string | undefined): void {
    if (!this.helloDone || this.closed) return;
    if (this.mode !== 'chunked') return this.write(message.toString('utf8'), deployment);
    this.queue(message);
    this.sentMessages++;
    this.onSent(this, deployment);
  }

  /** Ends the session (close-session, server stop). */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    try {
      this.channel.end();
    } catch {
      /* channel already gone */
    }
    this.onClose(this);
  }

  /**
   * Queues one message (with the XML declaration in front when `withDecl`). The messages of one event-loop
   * turn go out in one channel write: far fewer SSH packets when a burst of escEvents is emitted with zero
   * delays.
   */
  private write(message: string, deployment: string | undefined, withDecl = false): void {
    if (this.closed) return;
    const text = withDecl ? XML_DECL + message : message;
    if (this.mode === 'chunked') this.queue(Buffer.from(text, 'utf8'));
    else this.queue({ frame: encodeFrame(text, this.mode) });
    this.sentMessages++;
    this.onSent(this, deployment);
  }

  private queue(entry: Buffer | { frame: Buffer }): void {
    if (this.pending.length === 0) process.nextTick(() => this.flush());
    this.pending.push(entry);
    this.pendingBytes += 'frame' in entry ? entry.frame.length : chunkedSize(entry.length);
  }

  /**
   * Writes what is queued in one channel write. Chunked framing (RFC 6242 §4.2, one chunk per message, as
   * encodeFrame does it) is written straight into that one buffer.
   */
  private flush(): void {
    if (this.pending.length === 0) return;
    const entries = this.pending;
    const only = entries[0];
    let data: Buffer;
    if (entries.length === 1 && 'frame' in only) data = only.frame;
    else {
      data = Buffer.allocUnsafe(this.pendingBytes);
      let at = 0;
      for (const e of entries) {
        if (!('frame' in e)) at = writeChunk(data, at, e);
        else {
          data.set(e.frame, at);
          at += e.frame.length;
        }
      }
    }
    this.pending = [];
    this.pendingBytes = 0;
    try {
      this.channel.write(data);
    } catch (err) {
      this.log.debug('write failed', { session: this.id, error: (err as Error).message });
    }
  }

  private receive(data: Buffer): void {
    this.decoder.push(data);
    try {
      for (let msg = this.decoder.next(); msg !== undefined; msg = this.decoder.next()) this.onMessage(msg);
    } catch (err) {
      this.log.warn('framing error, closing session', { session: this.id, error: (err as Error).message });
      this.close();
    }
  }

  private onMessage(msg: string): void {
    if (!this.helloDone) {
      const hello = parseHello(msg);
      this.mode = chooseFraming(this.capabilities, hello.capabilities);
      this.decoder.mode = this.mode;
      this.helloDone = true;
      return;
    }
    let root: XmlElement;
    try {
      root = parseXml(msg);
    } catch (err) {
      return this.reply(
        undefined,
        new SimRpcError('malformed-message', `malformed XML: ${(err as Error).message}`, { type: 'rpc' }).toXml(),
      );
    }
    // Replies keep request order, even when one is delayed.
    this.chain = this.chain
      .then(() => this.handleRpc(root))
      .catch((err: Error) => {
        this.log.error('rpc failed', { session: this.id, error: err.message });
      });
  }

  private async handleRpc(root: XmlElement): Promise<void> {
    if (root.name !== 'rpc' || root.ns !== NETCONF_BASE_NS) {
      return this.reply(
        root,
        new SimRpcError('unknown-element', `expected <rpc>, got <${root.name}>`, { type: 'rpc', badElement: root.name }).toXml(),
      );
    }
    if (attrOf(root, 'message-id') === undefined) {
      return this.reply(
        root,
        new SimRpcError('missing-element', 'message-id attribute missing', { type: 'rpc', badElement: 'message-id' }).toXml(),
      );
    }
    const op = root.children[0];
    if (!op) return this.reply(root, new SimRpcError('missing-element', 'empty <rpc>', { type: 'rpc' }).toXml());
    const delay = this.dispatcher.replyDelay(op);
    let body: string;
    try {
      body = await this.dispatcher.dispatch(this, op);
    } catch (err) {
      if (!(err instanceof SimRpcError)) throw err;
      body = err.toXml();
    }
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    this.reply(root, body);
    if (op.name === 'close-session' && op.ns === NETCONF_BASE_NS && !body.includes('<rpc-error>')) this.close();
  }

  private reply(rpc: XmlElement | undefined, body: string): void {
    let attrs = '';
    for (const a of rpc?.attrs ?? []) if (a.ns === '') attrs += ` ${a.name}="${escapeXmlAttr(a.value)}"`;
    this.write(`<rpc-reply xmlns="${NETCONF_BASE_NS}"${attrs}>${body}</rpc-reply>`, undefined, true);
  }
}
