import type { Schedule } from '../async/turn-scheduler';
import type { Log } from '../logging/log';
import type { StrictHostKeyChecking } from '../netconf/known-hosts';
import type { NetconfError } from '../netconf/errors';
import { ManagedNetconfConnection } from '../netconf/managed-connection';
import { NetconfSession, type NetconfConnectOptions } from '../netconf/netconf-session';
import type { NetconfNotification } from '../netconf/reply-parser';
import type { XmlElement, XmlNode } from '../xml';
import { escAddress, type EscConnector, type EscEventHandlers, type EscEventLink, type EscRpcLink, type EscTarget } from './esc-channel';
import { scanEscEventTarget } from './esc-event-filter';
import { readEscEvent, type EscEventView } from './esc-event-view';
import { EscMeter, editConfigOperation, type EscMetrics } from './esc-metrics';

/** SSH/NETCONF settings shared by every ESC connection (ESC_KNOWN_HOSTS, ESC_STRICT_HOST_KEY_CHECKING…). */
export interface NetconfEscSettings {
  knownHostsPath?: string;
  strictHostKeyChecking: StrictHostKeyChecking;
  connectTimeoutMs: number;
  rpcTimeoutMs: number;
  /** First and longest pause between reconnect attempts of the event session (each less up to 30 % jitter). */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
}

/** Share of a reconnect pause taken off at random, so that the sessions to one ESC do not retry in step. */
const RECONNECT_JITTER = 0.3;

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
  constructor(
    private readonly settings: NetconfEscSettings,
    private readonly options: NetconfEscConnectorOptions = {},
  ) {}

  openRpc(target: EscTarget, log: Log): Promise<EscRpcLink> {
    return Promise.resolve(new RpcLink(() => this.connect(target, log), log, new EscMeter(this.options.metrics, escAddress(target))));
  }

  /**
   * The escEvent session: a managed connection that re-subscribes after a drop, backing off with jitter, and
   * gives up (handlers.onFailed) when ESC refuses the credentials or the host key, which retrying cannot fix.
   */
  async openEvents(target: EscTarget, handlers: EscEventHandlers<EscEventView>, log: Log): Promise<EscEventLink> {
    const meter = new EscMeter(this.options.metrics, escAddress(target));
    const wants = handlers.wants?.bind(handlers);
    const connection = new ManagedNetconfConnection({
      ...this.connectOptions(target, log),
      // Events this process has no use for are told from the raw text and left unparsed.
      screen: wants
        ? (raw) => {
            if (wants(scanEscEventTarget(raw))) return true;
            meter.skipped();
            return false;
          }
        : undefined,
      connector: this.openSession,
      subscription: { stream: 'escEvent' },
      reconnect: { initialDelayMs: this.settings.reconnectInitialMs, maxDelayMs: this.settings.reconnectMaxMs, jitter: RECONNECT_JITTER },
    });
    connection.on('notification', (n: NetconfNotification) => {
      const event = readEscEvent(n.body, n.eventTime);
      meter.notification(event?.type);
      if (event) handlers.onEvent(n.eventTime ? { ...event, eventTime: n.eventTime } : event);
    });
    connection.on('down', (err: NetconfError) => handlers.onDown?.(err));
    connection.on('reconnected', () => handlers.onReconnected());
    connection.on('failed', (err: NetconfError) => handlers.onFailed?.(err));
    await connection.start();
    return { close: () => connection.close() };
  }

  private readonly openSession = (o: NetconfConnectOptions): Promise<NetconfSession> =>
    (this.options.openSession ?? ((opts: NetconfConnectOptions) => NetconfSession.connect(opts)))(o);

  private connect(target: EscTarget, log: Log): Promise<NetconfSession> {
    return this.openSession(this.connectOptions(target, log));
  }

  private connectOptions(target: EscTarget, log: Log): NetconfConnectOptions {
    return {
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
    };
  }
}

/**
 * RPC side: the session is (re)opened on demand, so a drop costs only the RPCs in flight. The meter
 * counts the session as up from its opening to its close event, and times each RPC (not the dial).
 */
class RpcLink implements EscRpcLink {
  private session?: Promise<NetconfSession>;
  private closed = false;

  constructor(
    private readonly dial: () => Promise<NetconfSession>,
    private readonly log: Log,
    private readonly meter: EscMeter,
  ) {}

  async editConfig(config: XmlNode): Promise<void> {
    const session = await this.current();
    const startedAt = this.meter.now();
    try {
      await session.editConfig({ target: 'running', config });
    } finally {
      this.meter.rpcDone(editConfigOperation(config), startedAt);
    }
  }

  async get(filter: XmlNode): Promise<XmlElement> {
    const session = await this.current();
    const startedAt = this.meter.now();
    try {
      return await session.get({ filter: { type: 'subtree', content: filter } });
    } finally {
      this.meter.rpcDone('get', startedAt);
    }
  }

  async action(rpc: XmlNode): Promise<void> {
    const session = await this.current();
    const startedAt = this.meter.now();
    try {
      await session.rpc(rpc);
    } finally {
      this.meter.rpcDone('recoveryVmAction', startedAt);
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
