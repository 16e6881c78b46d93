import { parseXml, attrOf, type XmlElement } from '../../../src/xml';
import { encodeFrame, FrameDecoder, type FramingMode } from '../../../src/netconf/framing';
import { buildHello, chooseFraming } from '../../../src/netconf/hello';
import { BASE_10, BASE_11, NETCONF_BASE_NS } from '../../../src/netconf/namespaces';
import type { NetconfTransport, TransportHandlers } from '../../../src/netconf/transport';

/** An in-memory server end: decodes the client's frames and lets the test answer them. */
export class FakeNetconfPeer implements NetconfTransport {
  readonly received: XmlElement[] = [];
  readonly writes: Buffer[] = [];
  framing: FramingMode = 'eom';
  ended = false;
  /** When set, every rpc is answered with <ok/> at once. */
  autoReply = false;
  /** pause() / resume() calls of the client, in order. */
  readonly flow: Array<'pause' | 'resume'> = [];
  private handlers: TransportHandlers | undefined;
  private readonly decoder = new FrameDecoder();
  private helloSeen = false;
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(
    private readonly capabilities: string[] = [BASE_10, BASE_11],
    private readonly sessionId = 7,
  ) {}

  start(handlers: TransportHandlers): void {
    this.handlers = handlers;
  }

  write(data: Buffer): void {
    this.writes.push(data);
    this.decoder.push(data);
    for (let m = this.decoder.next(); m !== undefined; m = this.decoder.next()) this.onClientMessage(m);
  }

  end(): void {
    this.ended = true;
    this.handlers?.closed();
  }

  destroy(): void {
    this.handlers?.closed();
  }

  pause(): void {
    this.flow.push('pause');
  }

  resume(): void {
    this.flow.push('resume');
  }

  /** Sends the server hello. */
  hello(): void {
    this.deliver(encodeFrame(buildHello(this.capabilities, this.sessionId), 'eom'));
  }

  /** Sends one message in the negotiated framing. */
  send(xmlText: string): void {
    this.deliver(encodeFrame(xmlText, this.framing));
  }

  /** Hands raw bytes to the client. */
  deliver(bytes: Buffer): void {
    this.handlers?.data(bytes);
  }

  /** Simulates the connection dropping. */
  drop(): void {
    this.handlers?.closed(new Error('connection reset'));
  }

  /** Resolves once `count` rpcs have been received. */
  waitForRpcs(count: number): Promise<void> {
    if (this.rpcs().length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  rpcs(): XmlElement[] {
    return this.received.filter((e) => e.name === 'rpc');
  }

  /** An <rpc-reply> for `messageId` with the given inner XML. */
  static reply(messageId: string, inner: string, prefix = ''): string {
    const p = prefix ? `${prefix}:` : '';
    const ns = prefix ? `xmlns:${prefix}` : 'xmlns';
    return `<${p}rpc-reply ${ns}="${NETCONF_BASE_NS}" message-id="${messageId}">${inner}</${p}rpc-reply>`;
  }

  private onClientMessage(m: string): void {
    const el = parseXml(m);
    this.received.push(el);
    if (!this.helloSeen) {
      this.helloSeen = true;
      const ours = el.children[0].children.map((c) => c.text);
      this.framing = chooseFraming(this.capabilities, ours);
      this.decoder.mode = this.framing;
      return;
    }
    if (this.autoReply) this.send(FakeNetconfPeer.reply(attrOf(el, 'message-id') ?? '', '<ok/>'));
    const n = this.rpcs().length;
    for (const w of this.waiters.filter((x) => n >= x.count)) w.resolve();
    this.waiters = this.waiters.filter((x) => n < x.count);
  }
}

/** message-id of a received rpc. */
export function messageIdOf(rpc: XmlElement): string {
  return attrOf(rpc, 'message-id') ?? '';
}
