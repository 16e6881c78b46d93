import type { Log } from '../logging/log';

/** The fields the router needs from a parsed escEvent. */
export interface RoutableEvent {
  type: string;
  tenant?: string;
  depname?: string;
  /** Flavor / VIM connector events carry no deployment: they are routed by this key, watched as tenant '' (see esc-event-view). */
  resource?: string;
}

/** Receives the escEvents of one deployment. */
export type EscEventListener<E> = (event: E) => void;

/**
 * escEvent types ESC emits on its own initiative (auto-recovery, elastic scaling), never in answer
 * to an edit-config of ours. ESC guide "Recovery" and "Scaling" notifications.
 */
export const UNSOLICITED_EVENT_TYPES: ReadonlySet<string> = new Set([
  'VM_RECOVERY_COMPLETE',
  'VM_SCALE_OUT_COMPLETE',
  'VM_SCALE_IN_COMPLETE',
]);

/** Options of {@link EscEventRouter}. */
export interface EscEventRouterOptions<E> {
  /**
   * Called for ESC-initiated events (see {@link UNSOLICITED_EVENT_TYPES}), whether or not a job waits, and for a
   * VM_ALIVE of a deployment no job waits on.
   */
  onUnsolicited?: (event: E) => void;
  /**
   * Called first for every event the process is responsible for (see {@link EscEventRouter.dispatch}), routed or not
   * (an observer: it must not throw, and is logged when it does).
   */
  onEvent?: (event: E) => void;
  log: Log;
}

function keyOf(tenant: string, depname: string): string {
  return `${tenant}\u0000${depname}`;
}

/**
 * Routes escEvents of one ESC by tenant + deployment name to the jobs waiting on them. Events of
 * ESC-initiated workflows also go to the unsolicited handler. A listener that throws is logged and
 * does not stop delivery to the others.
 */
export class EscEventRouter<E extends RoutableEvent> {
  private readonly watchers = new Map<string, Set<EscEventListener<E>>>();

  constructor(private readonly options: EscEventRouterOptions<E>) {}

  /** Starts delivering events of `tenant`/`depname` to `listener`; returns the function that stops it. */
  watch(tenant: string, depname: string, listener: EscEventListener<E>): () => void {
    const key = keyOf(tenant, depname);
    let set = this.watchers.get(key);
    if (!set) {
      set = new Set();
      this.watchers.set(key, set);
    }
    set.add(listener);
    return () => {
      const current = this.watchers.get(key);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.watchers.delete(key);
    };
  }

  /** Number of deployments with at least one listener (for tests and metrics). */
  get watchedDeployments(): number {
    return this.watchers.size;
  }

  /** True when a listener waits on events of `tenant`/`depname`. */
  watches(tenant: string, depname: string): boolean {
    return this.watchers.has(keyOf(tenant, depname));
  }

  /**
   * Delivers one parsed escEvent to the jobs waiting on it and, when this process is `responsible` for the ESC's
   * ESC-initiated changes (see esc-event-filter), to the observer of every event and ESC-initiated ones to the
   * unsolicited handler too: across replicas, those two see each event of the ESC once.
   */
  dispatch(event: E, responsible = true): void {
    const key =
      event.tenant !== undefined && event.depname !== undefined
        ? keyOf(event.tenant, event.depname)
        : event.resource !== undefined
          ? keyOf('', event.resource)
          : undefined;
    const set = key === undefined ? undefined : this.watchers.get(key);
    if (responsible) {
      this.observe(event);
      // VM_ALIVE no job waits for is ESC's VM monitor speaking on its own (a VM found dead, or alive again).
      if (UNSOLICITED_EVENT_TYPES.has(event.type) || (event.type === 'VM_ALIVE' && !set?.size)) this.deliverUnsolicited(event);
    }
    if (key === undefined) {
      this.options.log.debug('escEvent without tenant/deployment ignored', { type: event.type });
      return;
    }
    if (!set || set.size === 0) {
      this.options.log.debug('escEvent with no job waiting', { type: event.type, tenant: event.tenant, depname: event.depname });
      return;
    }
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (err) {
        this.options.log.error('escEvent listener failed', { type: event.type, error: (err as Error).message });
      }
    }
  }

  private observe(event: E): void {
    try {
      this.options.onEvent?.(event);
    } catch (err) {
      this.options.log.error('escEvent observer failed', { type: event.type, error: (err as Error).message });
    }
  }

  private deliverUnsolicited(event: E): void {
    try {
      this.options.onUnsolicited?.(event);
    } catch (err) {
      this.options.log.error('unsolicited escEvent handler failed', { type: event.type, error: (err as Error).message });
    }
  }
}
