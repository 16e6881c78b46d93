import { jitteredBackoffMs } from '../async/backoff';
import { EventEmitter } from 'node:events';
import { silentLog, type Log } from '../logging/log';
import { NetconfError } from './errors';
import { NetconfSession, type NetconfConnectOptions } from './netconf-session';
import type { SubscriptionParams } from './operations';
import type { NetconfNotification } from './reply-parser';

/** Exponential backoff between reconnect attempts; delays in ms, jitter as a fraction 0..1. */
export interface ReconnectPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Each delay is reduced by a random share of up to this fraction, so peers do not retry in step. */
  jitter: number;
}

/** Options of {@link ManagedNetconfConnection}. */
export type ManagedConnectionOptions = NetconfConnectOptions & {
  reconnect?: Partial<ReconnectPolicy>;
  /** Re-created on every (re)connect. */
  subscription?: SubscriptionParams;
  /** How a session is opened; default NetconfSession.connect (replaceable in tests). */
  connector?: (opts: NetconfConnectOptions) => Promise<NetconfSession>;
};

const DEFAULT_POLICY: ReconnectPolicy = { initialDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.3 };

/** Failures that retrying cannot fix: wrong credentials, refused host key. */
export function isFatalConnectError(err: unknown): boolean {
  return err instanceof NetconfError && (err.code === 'AUTH' || err.code === 'HOST_KEY');
}

/**
 * A NETCONF session that comes back: after a loss it reconnects with exponential backoff and jitter,
 * re-creates its subscription and emits 'reconnected' so users reconcile what they missed.
 * Events: 'up' (session), 'down' (NetconfError), 'reconnected' (session), 'notification'
 * (NetconfNotification), 'failed' (NetconfError: AUTH/HOST_KEY on reconnect, retrying stopped).
 */
export class ManagedNetconfConnection extends EventEmitter {
  private readonly policy: ReconnectPolicy;
  private readonly log: Log;
  private session: NetconfSession | undefined;
  private closed = false;
  private everUp = false;
  private attempt = 0;
  private sleeper: { timer: NodeJS.Timeout; wake(): void } | undefined;

  constructor(private readonly opts: ManagedConnectionOptions) {
    super();
    this.policy = { ...DEFAULT_POLICY, ...opts.reconnect };
    this.log = (opts.log ?? silentLog).child({ netconfHost: opts.host, netconfPort: opts.port });
  }

  /**
   * First connect, tried once: its failure is the caller's (an unreachable peer fails the work that needed it
   * instead of holding it). Only a session that was up is reconnected.
   */
  async start(): Promise<void> {
    await this.connectOnce();
  }

  /** The live session. @throws NetconfError 'CLOSED' while down. */
  current(): NetconfSession {
    if (!this.session) throw new NetconfError('CLOSED', 'NETCONF connection is down', { host: this.opts.host, port: this.opts.port });
    return this.session;
  }

  /** Resolves with the session once up; rejects 'TIMEOUT' after `timeoutMs` or 'CLOSED' on close. */
  waitUntilUp(timeoutMs: number): Promise<NetconfSession> {
    if (this.session) return Promise.resolve(this.session);
    if (this.closed) return Promise.reject(new NetconfError('CLOSED', 'connection closed'));
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.off('up', onUp).off('closed', onClosed);
      };
      const onUp = (s: NetconfSession): void => (done(), resolve(s));
      const onClosed = (): void => (done(), reject(new NetconfError('CLOSED', 'connection closed')));
      const timer = setTimeout(() => (done(), reject(new NetconfError('TIMEOUT', `not up within ${timeoutMs} ms`))), timeoutMs);
      this.on('up', onUp).on('closed', onClosed);
    });
  }

  /** Stops every timer and retry, then closes the session (bounded). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sleeper?.wake();
    const s = this.session;
    this.session = undefined;
    this.emit('closed');
    if (s) {
      s.removeAllListeners('close');
      await s.close().catch(() => s.destroy());
    }
  }

  private async connectOnce(): Promise<void> {
    const connector = this.opts.connector ?? ((o: NetconfConnectOptions) => NetconfSession.connect(o));
    const session = await connector(this.opts);
    try {
      if (this.closed) throw new NetconfError('CLOSED', 'connection closed while connecting');
      if (this.opts.subscription) await session.createSubscription(this.opts.subscription);
    } catch (err) {
      session.destroy();
      throw err;
    }
    session.on('notification', (n: NetconfNotification) => this.emit('notification', n));
    session.once('close', (err?: NetconfError) => this.onLost(session, err));
    this.session = session;
    this.attempt = 0;
    this.emit('up', session);
    if (this.everUp) this.emit('reconnected', session);
    this.everUp = true;
  }

  private onLost(session: NetconfSession, err?: NetconfError): void {
    if (this.session !== session) return;
    this.session = undefined;
    const cause = err ?? new NetconfError('CLOSED', 'session closed by peer', { host: this.opts.host, port: this.opts.port });
    this.log.warn('netconf connection lost', { code: cause.code, error: cause.message });
    this.emit('down', cause);
    if (!this.closed) void this.reconnectLoop();
  }

  private async reconnectLoop(): Promise<void> {
    while (!this.closed) {
      await this.sleep(this.nextDelay());
      if (this.closed) return;
      try {
        return await this.connectOnce();
      } catch (err) {
        if (this.closed) return;
        if (isFatalConnectError(err)) {
          this.log.error('netconf reconnect refused; not retrying', { error: (err as Error).message });
          this.emit('failed', err);
          return;
        }
        this.log.warn('netconf reconnect failed', { attempt: this.attempt, error: (err as Error).message });
      }
    }
  }

  /** Next backoff delay in ms: initial·2^attempt capped at max, minus up to `jitter` of it. */
  private nextDelay(): number {
    const { initialDelayMs, maxDelayMs, jitter } = this.policy;
    return jitteredBackoffMs(this.attempt++, initialDelayMs, maxDelayMs, jitter);
  }

  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleeper = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleeper = { timer, wake };
    });
  }
}
