import type { Schedule } from '../async/turn-scheduler';
import type { Log } from '../logging/log';
import type { StrictHostKeyChecking } from '../netconf/known-hosts';
import { NetconfSession, type NetconfConnectOptions } from '../netconf/netconf-session';
import type { NetconfNotification } from '../netconf/reply-parser';
import { escAddress, type EscConnector, type EscEventHandlers, type EscEventLink, type EscRpcLink, type EscTarget } from './esc-channel';
import { readEscEvent, type EscEventView } from './esc-event-view';
import { EscMeter, editConfigOperation, type EscMetrics } from './esc-metrics';

/** SSH/NETCONF settings shared by every ESC connection (ESC_KNOWN_HOSTS, ESC_STRICT_HOST_KEY_CHECKING…). */
export interface NetconfEscSettings {
  knownHostsPath?: string;
  strictHostKeyChecking: StrictHostKeyChecking;
  connectTimeoutMs: number;
  rpcTimeoutMs: number;
  /** First and longest pause between reconnect attempts of the event session. */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
}

/** What the connector uses besides its settings. */
export interface NetconfEscConnectorOptions {
  /** NETCONF metrics per ESC (`host:port`): RPC session up, RPC latency, escEvents received. */
  metrics?: EscMetrics;
  /** How a session is opened; default NetconfSession.connect over SSH (replaceable in tests). */
  openSession?: (opts: NetconfConnectOptions) => Promise<NetconfSession>;
  /** The service's turns, in which each session parses and handles what it receives (NetconfSessionOptions.schedule). */
  schedule?: Schedule;
}

/** Opens NETCONF sessions to ESC: one for RPCs, one subscribed to the escEvent stream. */
export class NetconfEscConnector implements EscConnector<EscEventView> {
  constructor(private readonly settings: NetconfEscSettings, private readonly options: NetconfEscConnectorOptions = {}) {}

  async openRpc(target: EscTarget, log: Log): Promise<EscRpcLink> {
    return new RpcLink(() => this.connect(target, log), log, new EscMeter(this.options.metrics, escAddress(target)));
  }

  async openEvents(target: EscTarget, handlers: EscEventHandlers<EscEventView>, log: Log): Promise<EscEventLink> {
    const meter = new EscMeter(this.options.metrics, escAddress(target));
    const link = new EventLink(() => this.connect(target, log), handlers, this.settings, log, meter);
    await link.start();
    return link;
  }

  private connect(target: EscTarget, log: Log): Promise<NetconfSession> {
    const open = this.options.openSession ?? ((o: NetconfConnectOptions) => NetconfSession.connect(o));
    return open({
      host: target.host,
      port: target.port,
      username: target.userName,
      password: target.password,
      knownHostsPath: this.settings.knownHostsPath,
      strictHostKeyChecking: this.settings.strictHostKeyChecking,
      connectTimeoutMs: this.settings.connectTimeoutMs,
      rpcTimeoutMs: this.settings.rpcTimeoutMs,
      log,
      schedule: this.options.schedule,
    });
  }
}

/**
 * RPC side: the session is (re)opened on demand, so a drop costs only the RPCs in flight. The meter
 * counts the session as up from its opening to its close event, and times each RPC (not the dial).
 */
class RpcLink implements EscRpcLink {
  private session?: Promise<NetconfSession>;
  private closed = false;

  constructor(private readonly dial: () => Promise<NetconfSession>, private readonly log: Log, private readonly meter: EscMeter) {}

  async editConfig(config: string): Promise<void> {
    const session = await this.current();
    const startedAt = this.meter.now();
    try {
      await session.editConfig({ target: 'running', config });
    } finally {
      this.meter.rpcDone(editConfigOperation(config), startedAt);
    }
  }

  async get(filter: string): Promise<import('../xml').XmlElement> {
    const session = await this.current();
    const startedAt = this.meter.now();
    try {
      return await session.get({ filter: { type: 'subtree', content: filter } });
    } finally {
      this.meter.rpcDone('get', startedAt);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const s = this.session;
    this.session = undefined;
    if (s) await (await s.catch(() => undefined))?.close().catch(() => undefined);
  }

  private current(): Promise<NetconfSession> {
    if (this.closed) return Promise.reject(new Error('ESC RPC session closed'));
    if (!this.session) {
      const pending = this.dial();
      this.session = pending;
      pending.then(
        (s) => {
          this.meter.sessionUp();
          s.once('close', () => {
            this.meter.sessionDown();
            if (this.session === pending) this.session = undefined;
            if (!this.closed) this.log.warn('ESC RPC session lost; it reopens on the next request');
          });
        },
        () => {
          if (this.session === pending) this.session = undefined;
        },
      );
    }
    return this.session;
  }
}

/** Event side: subscribed once opened; after a drop it reconnects with capped backoff until closed. */
class EventLink implements EscEventLink {
  private session?: NetconfSession;
  private closed = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dial: () => Promise<NetconfSession>,
    private readonly handlers: EscEventHandlers<EscEventView>,
    private readonly settings: NetconfEscSettings,
    private readonly log: Log,
    private readonly meter: EscMeter,
  ) {}

  /** First subscription: failures propagate to the caller. */
  async start(): Promise<void> {
    await this.subscribe();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.session?.close().catch(() => undefined);
  }

  private async subscribe(): Promise<void> {
    const session = await this.dial();
    if (this.closed) {
      await session.close().catch(() => undefined);
      return;
    }
    session.on('notification', (n: NetconfNotification) => {
      const event = readEscEvent(n.body);
      this.meter.notification(event?.type);
      if (event) this.handlers.onEvent(event);
    });
    session.once('close', () => {
      if (this.session === session) this.session = undefined;
      if (!this.closed) this.scheduleReconnect(this.settings.reconnectInitialMs);
    });
    try {
      await session.createSubscription({ stream: 'escEvent' });
    } catch (err) {
      session.removeAllListeners('close');
      await session.close().catch(() => undefined);
      throw err;
    }
    this.session = session;
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.closed) return;
    this.log.warn('escEvent session lost; reconnecting', { inMs: delayMs });
    this.timer = setTimeout(() => {
      this.subscribe().then(
        () => this.handlers.onReconnected(),
        (err: Error) => {
          this.log.warn('escEvent reconnect failed', { error: err.message });
          this.scheduleReconnect(Math.min(delayMs * 2, this.settings.reconnectMaxMs));
        },
      );
    }, delayMs);
  }
}
