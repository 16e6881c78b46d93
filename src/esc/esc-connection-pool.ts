import { createHmac, randomBytes } from 'node:crypto';
import type { Log } from '../logging/log';
import { annotateTrace, runUntraced } from '../tracing/trace-context';
import { EscChannel, escAddress, type EscConnector, type EscTarget } from './esc-channel';
import { EscEventRouter, type RoutableEvent } from './esc-event-router';

/** Finds the ESC behind a VNFM id (NSLCM's vnfms/{id}); the NSLCM EscLocator satisfies it. */
export interface EscLocatorPort {
  locate(vnfmId: string): Promise<EscTarget>;
  /** Forgets a cached answer (after the ESC refused the credentials). */
  invalidate(vnfmId: string): void;
}

/** Who is responsible for the ESC-initiated changes of each ESC (`host:port`). */
export interface EscResponsibilityPort {
  /** True while this process is responsible for the ESC (synchronous: asked for every escEvent). */
  holds(esc: string): boolean;
  /** Asks for the responsibility for the ESC now and from now on (tried again while another process has it). */
  claim(esc: string): void;
}

/** Options of {@link EscConnectionPool}. */
export interface EscConnectionPoolOptions<E> {
  connector: EscConnector<E>;
  locator: EscLocatorPort;
  /** ESC-initiated events (recovery, elastic scaling) of any ESC; `esc` is its `host:port`. */
  onUnsolicited?: (event: E, channel: EscChannel<E & RoutableEvent>) => void;
  /** The event session of a channel was re-established: escEvents sent meanwhile were missed. */
  onReconnected?: (channel: EscChannel<E & RoutableEvent>) => void;
  /**
   * Every escEvent, routed or not, of every ESC this process is responsible for (see `responsibility`): across
   * replicas each event comes here once. `esc` is the ESC's `host:port`.
   */
  onEvent?: (event: E, esc: string) => void;
  /** An ESC could not be reached: opening its channel failed, or its event session dropped. */
  onUnreachable?: (esc: string, err: Error) => void;
  /** An ESC answers: its channel opened or its event session came back. */
  onReachable?: (esc: string) => void;
  log: Log;
  /**
   * Which process is responsible for an ESC's ESC-initiated changes when several share the store (see
   * esc-event-filter): asked to claim each ESC whose channel opens, and whether it holds it, per event. Absent: this
   * process is responsible for every ESC.
   */
  responsibility?: EscResponsibilityPort;
  /** How often a channel left behind by changed credentials is checked for being idle before it is closed, ms (default 1000). */
  idleCheckMs?: number;
}

/**
 * One {@link EscChannel} per ESC login (host, port, user and password), opened on first use and shared by all
 * VNFs whose VNFM records name that same login. The password is kept in the key only as an HMAC under a key
 * drawn at start, never in clear. A failed open is not cached: the next operation tries again; an
 * authentication failure also drops the locator's cached credentials, as does a channel whose event session ESC
 * later refuses. When the login of a VNFM record changes (a new password), its next operation opens a new channel,
 * and the old one, once no other record uses it, is closed as soon as it is idle (no RPC in flight, nothing waiting
 * for its events).
 */
export class EscConnectionPool<E extends RoutableEvent> {
  private readonly channels = new Map<string, Promise<EscChannel<E>>>();
  private readonly keyOfVnfm = new Map<string, string>();
  private readonly retiring = new Set<{ channel: EscChannel<E>; timer: NodeJS.Timeout }>();
  private readonly hashKey = randomBytes(32);
  private closed = false;

  constructor(private readonly options: EscConnectionPoolOptions<E>) {}

  /** The pool key of a login: user, host, port and a keyed hash of the password. */
  loginKey(target: EscTarget): string {
    const secret = createHmac('sha256', this.hashKey)
      .update(target.password ?? '')
      .digest('base64url');
    return `${target.userName}@${escAddress(target)}#${secret}`;
  }

  /** The channel of the ESC that serves `vnfmId` with its record's login, opening it when needed. */
  async channelFor(vnfmId: string): Promise<EscChannel<E>> {
    if (this.closed) throw new Error('ESC connection pool is closed');
    const target = await this.options.locator.locate(vnfmId);
    // From here on, every log line of the job in progress names its ESC.
    annotateTrace({ escHost: escAddress(target) });
    const key = this.loginKey(target);
    const previous = this.keyOfVnfm.get(vnfmId);
    this.keyOfVnfm.set(vnfmId, key);
    if (previous !== undefined && previous !== key) this.retireUnlessUsed(previous);
    let pending = this.channels.get(key);
    if (!pending) {
      // The channel outlives the job that opens it: its sockets and timers must not carry that job's trace.
      pending = runUntraced(() => this.open(target));
      this.channels.set(key, pending);
      const opened = pending;
      opened.then(
        // ESC refused the event session for good: the next operation locates the ESC anew and opens a new channel.
        (channel) =>
          channel.onFailure(() => {
            if (this.channels.get(key) === opened) this.channels.delete(key);
            this.options.locator.invalidate(vnfmId);
            void channel.close();
          }),
        (err: unknown) => {
          this.options.onUnreachable?.(escAddress(target), err as Error);
          if (this.channels.get(key) === opened) this.channels.delete(key);
          if ((err as { code?: string }).code === 'AUTH') this.options.locator.invalidate(vnfmId);
        },
      );
    }
    return pending;
  }

  /** Channels opened (or opening) now. */
  get size(): number {
    return this.channels.size;
  }

  /** Closes every channel; later calls to {@link channelFor} fail. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.channels.values()];
    this.channels.clear();
    const retiring = [...this.retiring].map((r) => {
      clearInterval(r.timer);
      return r.channel;
    });
    this.retiring.clear();
    await Promise.allSettled([...all.map(async (p) => (await p).close()), ...retiring.map((c) => c.close())]);
  }

  /** Takes the channel of `key` out of the pool when no VNFM record uses that login any more; closes it once idle. */
  private retireUnlessUsed(key: string): void {
    if ([...this.keyOfVnfm.values()].includes(key)) return;
    const pending = this.channels.get(key);
    if (!pending) return;
    this.channels.delete(key);
    pending.then(
      (channel) => {
        if (this.closed) {
          void channel.close(); // out of the pool already, so close() did not see it
          return;
        }
        const entry = { channel, timer: setInterval(() => check(), this.options.idleCheckMs ?? 1000) };
        entry.timer.unref();
        const check = (): void => {
          if (!channel.isIdle()) return;
          clearInterval(entry.timer);
          this.retiring.delete(entry);
          this.options.log.info('ESC connection closed: its login is no longer used', { esc: channel.address });
          void channel.close();
        };
        this.retiring.add(entry);
        check();
      },
      () => undefined,
    );
  }

  private async open(target: EscTarget): Promise<EscChannel<E>> {
    const log = this.options.log.child({ esc: escAddress(target) });
    // The callbacks run only once the channel is open, after `channel` is set.
    const address = escAddress(target);
    const router = new EscEventRouter<E>({
      log,
      onUnsolicited: (event) => this.options.onUnsolicited?.(event, channel),
      onEvent: (event) => this.options.onEvent?.(event, address),
    });
    const responsibility = this.options.responsibility;
    const channel: EscChannel<E> = new EscChannel<E>(
      target,
      router,
      log,
      () => {
        this.options.onReachable?.(address);
        this.options.onReconnected?.(channel);
      },
      (err) => this.options.onUnreachable?.(address, err),
      responsibility ? () => responsibility.holds(address) : undefined,
    );
    responsibility?.claim(address);
    await channel.open(this.options.connector);
    log.info('ESC connection open');
    this.options.onReachable?.(address);
    return channel;
  }
}
