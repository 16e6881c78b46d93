import type { Log } from '../logging/log';
import type { XmlElement, XmlNode } from '../xml';
import { escEventFate, type EscEventTarget } from './esc-event-filter';
import { EscEventRouter, type EscEventListener, type RoutableEvent } from './esc-event-router';
import type { EscEventSource } from './event-waiter';

/** Where one ESC is and how to log in. `password` must never be logged. */
export interface EscTarget {
  host: string;
  port: number;
  userName: string;
  readonly password: string;
}

/** The RPC session side of one ESC (a managed NETCONF connection that is never subscribed). */
export interface EscRpcLink {
  /** edit-config on `running` with the given `<config>` content (escaped when written). Rejects on rpc-error. */
  editConfig(config: XmlNode): Promise<void>;
  /** `<get>` with a subtree filter; resolves to the reply's `<data>` element. */
  get(filter: XmlNode): Promise<XmlElement>;
  /** An RPC of ESC's own (e.g. `<recoveryVmAction>`, escaped when written). Rejects on rpc-error. */
  action(rpc: XmlNode): Promise<void>;
  close(): Promise<void>;
}

/** Callbacks of the escEvent session side. */
export interface EscEventHandlers<E> {
  onEvent(event: E): void;
  /**
   * Asked before an escEvent is parsed, with the deployment its raw text names (undefined when that could not be
   * read cheaply): false leaves it unparsed, as this process has no use for it (see esc-event-filter).
   */
  wants?(target: EscEventTarget | undefined): boolean;
  /** The subscription was lost (ESC unreachable or the session dropped); reconnecting starts. */
  onDown?(err: Error): void;
  /** The subscription was re-established after a drop: events may have been missed. */
  onReconnected(): void;
  /** ESC refused a reconnect for good (authentication or host key): no more events will come. */
  onFailed?(err: Error): void;
}

/** The escEvent subscription side of one ESC (ESC takes no RPCs on a subscribed session). */
export interface EscEventLink {
  close(): Promise<void>;
}

/** Opens both sides of an ESC connection. The NETCONF implementation is `netconf-esc-connector.ts`. */
export interface EscConnector<E> {
  openRpc(target: EscTarget, log: Log): Promise<EscRpcLink>;
  openEvents(target: EscTarget, handlers: EscEventHandlers<E>, log: Log): Promise<EscEventLink>;
}

/** `host:port` of an ESC, as used in logs and error messages. */
export function escAddress(target: Pick<EscTarget, 'host' | 'port'>): string {
  return `${target.host}:${target.port}`;
}

/**
 * One ESC as the operations see it: RPCs (edit-config, get) on one session, escEvents from another,
 * routed by tenant + deployment. Shared by every VNF that lives on this ESC.
 */
export class EscChannel<E extends RoutableEvent> implements EscEventSource<E> {
  readonly address: string;
  private readonly resyncListeners = new Set<() => void>();
  private readonly failureListeners = new Set<(err: Error) => void>();
  /** Set when ESC refused the event session for good; every later use of the channel fails with it. */
  private failure?: Error;
  private rpc?: EscRpcLink;
  private events?: EscEventLink;
  private rpcsInFlight = 0;

  constructor(
    readonly target: EscTarget,
    private readonly router: EscEventRouter<E>,
    private readonly log: Log,
    /** Told after each reconnect of the event session, besides the waiters (events may have been missed). */
    private readonly onResynced?: () => void,
    /** Told when the event session drops (before reconnecting). */
    private readonly onLost?: (err: Error) => void,
    /** Whether this process is the one responsible for this ESC's ESC-initiated changes now; absent: always. */
    private readonly responsible: () => boolean = () => true,
  ) {
    this.address = escAddress(target);
  }

  /** Opens the event subscription first (so nothing an RPC causes is missed), then the RPC session. */
  async open(connector: EscConnector<E>): Promise<void> {
    this.events = await connector.openEvents(
      this.target,
      {
        // The unsolicited handler and the observer of the whole stream get the events only where this process is responsible.
        onEvent: (e) => this.router.dispatch(e, this.responsible()),
        wants: (target) => escEventFate(target, this.audience) !== 'drop',
        onDown: (err) => this.onLost?.(err),
        onReconnected: () => this.resync(),
        onFailed: (err) => this.fail(err),
      },
      this.log,
    );
    try {
      this.rpc = await connector.openRpc(this.target, this.log);
    } catch (err) {
      await this.events.close().catch(() => undefined);
      throw err;
    }
  }

  private readonly audience = {
    responsible: () => this.responsible(),
    watches: (tenant: string, depname: string) => this.router.watches(tenant, depname),
  };

  /** Sends an edit-config on `running`; rejects with the NETCONF error when ESC refuses it. */
  editConfig(config: XmlNode): Promise<void> {
    return this.counted(this.requireRpc().editConfig(config));
  }

  /** Reads operational data with the given filter; resolves to `<data>`. */
  get(filter: XmlNode): Promise<XmlElement> {
    return this.counted(this.requireRpc().get(filter));
  }

  /** Sends an RPC of ESC's own (guide "Recovery VM": `<recoveryVmAction>` is an RPC, not edit-config content). */
  action(rpc: XmlNode): Promise<void> {
    return this.counted(this.requireRpc().action(rpc));
  }

  /** True when no RPC is in flight and nothing watches a deployment or a resync: closing would disturb nobody. */
  isIdle(): boolean {
    return this.rpcsInFlight === 0 && this.router.watchedDeployments === 0 && this.resyncListeners.size === 0;
  }

  /** Listens to escEvents of one deployment. */
  watch(tenant: string, depname: string, listener: EscEventListener<E>): () => void {
    return this.router.watch(tenant, depname, listener);
  }

  /** Listens for reconnects of the event session. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** Listens for the event session's final failure (see {@link EscEventHandlers.onFailed}). */
  onFailure(listener: (err: Error) => void): () => void {
    if (this.failure) {
      listener(this.failure);
      return () => undefined;
    }
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** The reason this channel can no longer be used, if any. */
  get failed(): Error | undefined {
    return this.failure;
  }

  private fail(err: Error): void {
    this.failure = err;
    this.log.error('ESC refused the escEvent session; not retrying', {
      esc: this.address,
      error: err.message,
      waiting: this.failureListeners.size,
    });
    for (const l of [...this.failureListeners]) l(err);
    this.failureListeners.clear();
  }

  /** Tells every waiter to re-check opdata (events may have been missed). */
  resync(): void {
    this.log.info('escEvent subscription re-established; re-checking waiting jobs', {
      esc: this.address,
      waiting: this.resyncListeners.size,
    });
    for (const l of [...this.resyncListeners]) l();
    this.onResynced?.();
  }

  /** Closes both sessions. */
  async close(): Promise<void> {
    await Promise.allSettled([this.rpc?.close(), this.events?.close()]);
  }

  private counted<T>(rpc: Promise<T>): Promise<T> {
    this.rpcsInFlight++;
    return rpc.finally(() => this.rpcsInFlight--);
  }

  private requireRpc(): EscRpcLink {
    if (this.failure) throw this.failure;
    if (!this.rpc) throw new Error(`ESC ${this.address} connection is not open`);
    return this.rpc;
  }
}
