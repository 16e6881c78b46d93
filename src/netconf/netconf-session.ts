import { EventEmitter } from 'node:events';
import { attrOf, childOf, parseXml, writeXml, type XmlElement, type XmlNode } from '../xml';
import { silentLog, type Log } from '../logging/log';
import { FramingError, NetconfError, RpcError, type NetconfErrorContext } from './errors';
import { encodeFrame, FrameDecoder, type FramingMode } from './framing';
import { buildHello, chooseFraming, parseHello } from './hello';
import { BASE_11, DEFAULT_CLIENT_CAPABILITIES, NETCONF_BASE_NS } from './namespaces';
import { NotificationQueue } from './notification-queue';
import * as ops from './operations';
import { isNotification, isRpcReply, parseRpcErrors, toNotification, type NetconfNotification } from './reply-parser';
import { openSshTransport, type SshTransportOptions } from './ssh-transport';
import type { NetconfTransport } from './transport';

/** Session settings independent of the transport. Times in ms. */
export interface NetconfSessionOptions {
  /** For error context and logs only. */
  host?: string;
  port?: number;
  /** Wait for the server hello; default 15000. */
  helloTimeoutMs?: number;
  /** Default per-RPC timeout; default 60000. */
  rpcTimeoutMs?: number;
  /** Do not advertise base:1.1, so end-of-message framing is used (RFC 6242 §4.1). */
  forceBase10?: boolean;
  /** Largest message accepted; default 64 MiB. */
  maxMessageBytes?: number;
  /** Capabilities to advertise; default base:1.0 and base:1.1. */
  capabilities?: string[];
  log?: Log;
  /**
   * Where received messages are decoded, parsed and handled. By default at once, in the read that brought them.
   * With a scheduler, a read only appends its bytes to the decoder; tasks handed to `schedule` then take the
   * messages out one at a time, decoding, parsing and handling each in order, for at most {@link MESSAGE_BATCH_MS}
   * ms per task, so that a large read (hundreds of notifications at once) does not hold the event loop and a
   * backlog waits as the bytes it came in, not as one string per message. Past {@link INBOX_PAUSE_BYTES} of
   * undecoded bytes the transport is paused (the server is held back by the SSH window) until the backlog is
   * down to {@link INBOX_RESUME_BYTES}. The end of the stream is handled after the messages received before it.
   */
  schedule?: (task: () => void) => void;
  /**
   * Offered each received message (once the session is open) before it is parsed: false drops it unparsed. A
   * subscriber uses it to skip, by a cheap look at the text, notifications it has no use for.
   */
  screen?: (raw: string) => boolean;
}

/** Longest stretch one scheduled task spends parsing and handling received messages, ms. */
export const MESSAGE_BATCH_MS = 1;
/** Undecoded bytes (scheduled handling) beyond which the transport is paused. */
export const INBOX_PAUSE_BYTES = 4 * 1024 * 1024;
/** Undecoded bytes below which a paused transport is resumed. */
export const INBOX_RESUME_BYTES = 1024 * 1024;

/** Everything `NetconfSession.connect` needs: SSH settings plus session settings. */
export type NetconfConnectOptions = SshTransportOptions & NetconfSessionOptions;

/** Per-call options of `rpc()`. */
export interface RpcOptions {
  timeoutMs?: number;
}

interface PendingRpc {
  resolve(reply: XmlElement): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * One NETCONF session (RFC 6241) over a transport: hello exchange, framing switch, message-id
 * correlation of many RPCs in flight, notifications. Events: 'notification' (NetconfNotification),
 * 'close' (NetconfError when the session was lost, undefined when closed on purpose).
 */
export class NetconfSession extends EventEmitter {
  /** session-id from the server hello. */
  sessionId = '';
  serverCapabilities: string[] = [];
  framing: FramingMode = 'eom';
  private readonly decoder: FrameDecoder;
  private readonly pending = new Map<string, PendingRpc>();
  private readonly queues = new Set<NotificationQueue>();
  private readonly log: Log;
  private nextId = 1;
  private state: 'hello' | 'open' | 'closing' | 'closed' = 'hello';
  private helloWaiter: { resolve(): void; reject(err: Error): void } | undefined;
  private closedWaiters: Array<() => void> = [];
  /** A scheduled task is due to handle the received bytes; see the `schedule` option. */
  private drainScheduled = false;
  /** The transport is paused because too many bytes wait (see the `schedule` option). */
  private paused = false;
  /** A message already taken out of the decoder when a task's time ran out: the next task starts with it. */
  private nextUp: string | undefined;
  /** The stream ended while bytes still waited for a scheduled task: handled after them. */
  private endedWith: { err: Error | undefined } | undefined;

  private constructor(
    private readonly transport: NetconfTransport,
    private readonly opts: NetconfSessionOptions,
  ) {
    super();
    this.log = (opts.log ?? silentLog).child({ netconfHost: opts.host, netconfPort: opts.port });
    this.decoder = new FrameDecoder({ maxMessageBytes: opts.maxMessageBytes });
  }

  /** Dials over SSH and opens a session (RFC 6242 §3): the transport, then the hello exchange. */
  static async connect(opts: NetconfConnectOptions): Promise<NetconfSession> {
    const transport = await openSshTransport(opts);
    return NetconfSession.open(transport, opts);
  }

  /**
   * Runs the hello exchange on an open transport: our hello goes out in its own write (some servers
   * stall when hello and the first rpc share one), then the server hello is awaited.
   * @throws NetconfError 'TIMEOUT' | 'PROTOCOL' | 'TRANSPORT' | 'FRAMING'; the transport is destroyed.
   */
  static async open(transport: NetconfTransport, opts: NetconfSessionOptions = {}): Promise<NetconfSession> {
    const session = new NetconfSession(transport, opts);
    const timeoutMs = opts.helloTimeoutMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        session.helloWaiter = { resolve, reject };
        timer = setTimeout(
          () => reject(session.error('TIMEOUT', `no server <hello> within ${timeoutMs} ms`, 'read server hello')),
          timeoutMs,
        );
        transport.start({ data: (c) => session.onData(c), closed: (e) => session.onTransportClosed(e) });
        transport.write(encodeFrame(buildHello(session.ourCapabilities()), 'eom'));
      });
    } catch (err) {
      session.helloWaiter = undefined;
      session.state = 'closed';
      transport.destroy();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return session;
  }

  /**
   * Sends one <rpc> and resolves with its <rpc-reply> element (RFC 6241 §4.2). A node is written with escaping and
   * not parsed; a text body is parsed first to check that it is well-formed.
   * @throws RpcError with every <rpc-error> of the reply; NetconfError 'TIMEOUT', 'TRANSPORT', 'CLOSED'.
   */
  rpc(body: string | XmlNode, opts: RpcOptions = {}): Promise<XmlElement> {
    if (this.state !== 'open') return Promise.reject(this.error('CLOSED', `session is ${this.state}`, 'send rpc'));
    const operation = typeof body === 'string' ? ops.checkFragment('rpc body', body) : writeXml(body);
    return this.send(operation, opts.timeoutMs ?? this.opts.rpcTimeoutMs ?? 60_000);
  }

  /**
   * Sends an operation made by one of the builders of `./operations`: every value in it is escaped, caller nodes
   * written with escaping and caller text checked there, so it is not parsed as a whole (a deployment's config
   * would be).
   */
  private built(operation: string): Promise<XmlElement> {
    if (this.state !== 'open') return Promise.reject(this.error('CLOSED', `session is ${this.state}`, 'send rpc'));
    return this.send(operation, this.opts.rpcTimeoutMs ?? 60_000);
  }

  /** `<get>` (RFC 6241 §7.7); resolves with the <data> element. */
  async get(opts: { filter?: ops.Filter } = {}): Promise<XmlElement> {
    return dataOf(await this.built(ops.buildGet(opts.filter)));
  }

  /** `<get-config>` (RFC 6241 §7.1); resolves with the <data> element. */
  async getConfig(source: ops.Datastore, opts: { filter?: ops.Filter } = {}): Promise<XmlElement> {
    return dataOf(await this.built(ops.buildGetConfig(source, opts.filter)));
  }

  /** `<edit-config>` (RFC 6241 §7.2). */
  async editConfig(params: ops.EditConfigParams): Promise<void> {
    await this.built(ops.buildEditConfig(params));
  }

  /** `<lock>` (RFC 6241 §7.5). */
  async lock(target: ops.Datastore): Promise<void> {
    await this.built(ops.buildLock('lock', target));
  }

  /** `<unlock>` (RFC 6241 §7.6). */
  async unlock(target: ops.Datastore): Promise<void> {
    await this.built(ops.buildLock('unlock', target));
  }

  /** `<create-subscription>` (RFC 5277 §2.1.1); notifications then arrive as events. */
  async createSubscription(params: ops.SubscriptionParams = {}): Promise<void> {
    await this.built(ops.buildCreateSubscription(params));
  }

  /** Notifications in arrival order from now on; the iteration ends when the session closes. */
  notifications(limit?: number): AsyncIterableIterator<NetconfNotification> {
    const queue: NotificationQueue = new NotificationQueue(limit, () => this.queues.delete(queue));
    if (this.state === 'closed') queue.finish();
    else this.queues.add(queue);
    return queue;
  }

  /** Sends <close-session> (bounded by `timeoutMs`, default 5000), then ends the transport. */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.state === 'closed') return;
    const closed = new Promise<void>((resolve) => this.closedWaiters.push(resolve));
    if (this.state === 'open') {
      const reply = this.send(ops.buildCloseSession(), timeoutMs).catch((err: Error) =>
        this.log.debug('close-session failed', { error: err.message }),
      );
      this.state = 'closing';
      await reply;
    }
    this.state = 'closing';
    this.transport.end();
    const timer = setTimeout(() => this.destroy(), timeoutMs);
    await closed;
    clearTimeout(timer);
  }

  /** Tears the session down at once; pending RPCs are rejected with 'CLOSED'. */
  destroy(): void {
    if (this.state === 'closed') return;
    this.state = 'closing';
    this.transport.destroy();
    this.onClosed();
  }

  private send(operation: string, timeoutMs: number): Promise<XmlElement> {
    const messageId = String(this.nextId++);
    return new Promise<XmlElement>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(messageId);
        reject(this.error('TIMEOUT', `no rpc-reply within ${timeoutMs} ms`, 'await rpc-reply', messageId));
      }, timeoutMs);
      this.pending.set(messageId, { resolve, reject, timer });
      this.transport.write(encodeFrame(ops.buildRpc(messageId, operation), this.framing));
    });
  }

  private ourCapabilities(): string[] {
    const caps = this.opts.capabilities ?? [...DEFAULT_CLIENT_CAPABILITIES];
    // Forcing base:1.0 means not advertising base:1.1, else the server would switch to chunks.
    return this.opts.forceBase10 ? caps.filter((c) => c !== BASE_11) : caps;
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    this.decoder.push(chunk);
    for (;;) {
      // With a scheduler, only the hello is handled in the read; the other messages wait as bytes for their turn.
      if (this.opts.schedule && this.state !== 'hello') return this.bytesWaiting();
      let message: string | undefined;
      try {
        message = this.decoder.next();
      } catch (err) {
        return this.fail(err as FramingError);
      }
      if (message === undefined) return;
      if (this.state === 'hello') this.onHello(message);
      else this.onMessage(message);
      if (this.isClosed()) return;
    }
  }

  private onTransportClosed(err?: Error): void {
    if (this.opts.schedule && this.state !== 'closed' && (this.decoder.buffered > 0 || this.nextUp !== undefined)) {
      this.endedWith = { err };
      this.scheduleDrain();
    } else this.onClosed(err);
  }

  /** Received bytes wait for a scheduled task; too many of them pause the transport. */
  private bytesWaiting(): void {
    if (this.decoder.buffered === 0) return;
    this.scheduleDrain();
    if (!this.paused && this.transport.pause && this.decoder.buffered > INBOX_PAUSE_BYTES) {
      this.paused = true;
      this.transport.pause();
    }
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    this.opts.schedule!(this.drainInbox);
  }

  /**
   * Takes received messages out of the decoder and handles them in arrival order for up to MESSAGE_BATCH_MS, then
   * hands the rest to a new task (also when a listener threw, so that the messages after it and the end of the
   * stream are not left waiting). A framing failure is handled in its turn, after the messages before it.
   */
  private readonly drainInbox = (): void => {
    this.drainScheduled = false;
    let emptied = false;
    try {
      emptied = this.handleWaiting(performance.now() + MESSAGE_BATCH_MS);
    } finally {
      if (this.state !== 'closed') {
        if (this.paused && this.decoder.buffered <= INBOX_RESUME_BYTES) {
          this.paused = false;
          this.transport.resume?.();
        }
        if (!emptied) this.scheduleDrain();
      }
    }
  };

  /** Handles waiting messages until `until`; true once none is left (and then the end of the stream, if it came). */
  private handleWaiting(until: number): boolean {
    let handled = 0;
    for (; this.state !== 'closed'; handled++) {
      let message = this.nextUp;
      this.nextUp = undefined;
      try {
        message ??= this.decoder.next();
      } catch (err) {
        this.fail(err as FramingError);
        return true;
      }
      if (message === undefined) break;
      if (handled > 0 && performance.now() >= until) {
        // Another message waits and the budget is spent: it is the first one of the next task.
        this.nextUp = message;
        return false;
      }
      this.onMessage(message);
    }
    const ended = this.endedWith;
    // The end of the stream, too, waits for the next task once this one has spent its time.
    if (ended && handled > 0 && performance.now() >= until) return false;
    if (ended && this.state !== 'closed') {
      this.endedWith = undefined;
      this.onClosed(ended.err);
    }
    return true;
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private onHello(message: string): void {
    try {
      const hello = parseHello(message);
      if (!hello.sessionId) throw this.error('PROTOCOL', 'server <hello> has no session-id', 'read server hello');
      this.sessionId = hello.sessionId;
      this.serverCapabilities = hello.capabilities;
      this.framing = chooseFraming(this.ourCapabilities(), hello.capabilities, this.opts.forceBase10);
      this.decoder.mode = this.framing;
      this.state = 'open';
      this.log.debug('netconf session open', { sessionId: this.sessionId, framing: this.framing });
      this.helloWaiter?.resolve();
    } catch (err) {
      this.state = 'closed';
      this.helloWaiter?.reject(err as Error);
    }
    this.helloWaiter = undefined;
  }

  private onMessage(message: string): void {
    if (this.opts.screen && !this.opts.screen(message)) return;
    let root: XmlElement;
    try {
      root = parseXml(message);
    } catch (err) {
      this.log.warn('dropped a malformed message', { error: (err as Error).message, bytes: message.length });
      return;
    }
    if (isRpcReply(root)) this.onReply(root);
    else if (isNotification(root)) this.onNotification(root, message);
    else this.log.warn('dropped an unexpected message', { element: root.name, ns: root.ns });
  }

  private onReply(reply: XmlElement): void {
    const messageId = attrOf(reply, 'message-id', '') ?? '';
    const rpc = this.pending.get(messageId);
    if (!rpc) return void this.log.warn('rpc-reply for no pending rpc (late or unknown)', { messageId });
    this.pending.delete(messageId);
    clearTimeout(rpc.timer);
    const errors = parseRpcErrors(reply);
    if (errors.some((e) => e.severity !== 'warning')) rpc.reject(new RpcError(errors, this.context('rpc-reply', messageId)));
    else rpc.resolve(reply);
  }

  private onNotification(el: XmlElement, raw: string): void {
    const n = toNotification(el, raw);
    if (!n) return void this.log.warn('notification without an event dropped');
    for (const q of this.queues) q.push(n);
    this.emit('notification', n);
  }

  private fail(err: NetconfError): void {
    this.log.warn('netconf session failed', { code: err.code, error: err.message });
    Object.assign(err.context, this.context(err.context.step ?? 'read'));
    this.onClosed(err);
    this.transport.destroy();
  }

  private onClosed(cause?: Error): void {
    if (this.state === 'closed') return;
    const intended = this.state === 'closing';
    this.state = 'closed';
    let err: NetconfError | undefined;
    if (!intended) {
      err =
        cause instanceof NetconfError
          ? cause
          : this.error('TRANSPORT', `transport lost${cause ? `: ${cause.message}` : ''}`, 'read', undefined, cause);
    }
    this.helloWaiter?.reject(err ?? this.error('CLOSED', 'closed before the hello exchange', 'read server hello'));
    const pendingErr = err ?? this.error('CLOSED', 'session closed', 'await rpc-reply');
    for (const [, rpc] of this.pending) {
      clearTimeout(rpc.timer);
      rpc.reject(pendingErr);
    }
    this.pending.clear();
    for (const q of this.queues) q.finish(err);
    this.queues.clear();
    for (const w of this.closedWaiters.splice(0)) w();
    this.emit('close', err);
  }

  private context(step: string, messageId?: string): NetconfErrorContext {
    return { host: this.opts.host, port: this.opts.port, sessionId: this.sessionId || undefined, messageId, step };
  }

  private error(code: NetconfError['code'], message: string, step: string, messageId?: string, cause?: unknown): NetconfError {
    return new NetconfError(code, message, this.context(step, messageId), cause === undefined ? undefined : { cause });
  }
}

function dataOf(reply: XmlElement): XmlElement {
  return childOf(reply, 'data', NETCONF_BASE_NS) ?? { name: 'data', ns: NETCONF_BASE_NS, attrs: [], children: [], text: '' };
}
