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

/** Options of {@link EscConnectionPool}. */
export interface EscConnectionPoolOptions<E> {
  connector: EscConnector<E>;
  locator: EscLocatorPort;
  /** ESC-initiated events (recovery, elastic scaling) of any ESC; `esc` is its `host:port`. */
  onUnsolicited?: (event: E, channel: EscChannel<E & RoutableEvent>) => void;
  log: Log;
}

/**
 * One {@link EscChannel} per ESC (host, port, user), opened on first use and shared by all VNFs on
 * it. A failed open is not cached: the next operation tries again; an authentication failure also
 * drops the locator's cached credentials, as does a channel whose event session ESC later refuses.
 */
export class EscConnectionPool<E extends RoutableEvent> {
  private readonly channels = new Map<string, Promise<EscChannel<E>>>();
  private closed = false;

  constructor(private readonly options: EscConnectionPoolOptions<E>) {}

  /** The channel of the ESC that serves `vnfmId`, opening it when needed. */
  async channelFor(vnfmId: string): Promise<EscChannel<E>> {
    if (this.closed) throw new Error('ESC connection pool is closed');
    const target = await this.options.locator.locate(vnfmId);
    const address = escAddress(target);
    // From here on, every log line of the job in progress names its ESC.
    annotateTrace({ escHost: address });
    const key = `${target.userName}@${address}`;
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
    await Promise.allSettled(all.map(async (p) => (await p).close()));
  }

  private async open(target: EscTarget): Promise<EscChannel<E>> {
    const log = this.options.log.child({ esc: escAddress(target) });
    let channel: EscChannel<E> | undefined;
    const router = new EscEventRouter<E>({
      log,
      onUnsolicited: (event) => channel && this.options.onUnsolicited?.(event, channel),
    });
    channel = new EscChannel<E>(target, router, log);
    await channel.open(this.options.connector);
    log.info('ESC connection open');
    return channel;
  }
}
