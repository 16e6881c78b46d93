import type { XmlNode } from '../xml';

/** Labels of the per-ESC series: `esc` is the ESC's `host:port`, never a deployment or tenant name. */
export type EscLabels = Readonly<{ esc: string }>;
export type EscRpcLabels = Readonly<{ esc: string; operation: EscRpcOperation }>;
export type EscNotificationLabels = Readonly<{ esc: string; type: string }>;

/**
 * The NETCONF metrics the ESC layer feeds. Structural on purpose: the prom-client `Metrics` of
 * `src/metrics` satisfies it, and the ESC code does not depend on prom-client.
 */
export interface EscMetrics {
  /** Open RPC sessions per ESC: +1 when one opens, -1 when it closes or is lost (so 1 or 0 per ESC and user). */
  netconfSessionsUp: {
    inc(labels: EscLabels): void;
    dec(labels: EscLabels): void;
  };
  /** RPC round trip in seconds, from sending the request to its reply (or error). */
  netconfRpcLatency: {
    observe(labels: EscRpcLabels, seconds: number): void;
  };
  /** Notifications received on the escEvent subscription, by escEvent type. */
  netconfNotifications: {
    inc(labels: EscNotificationLabels): void;
  };
  /** escEvents left unparsed: another replica handles them (see esc-event-filter). */
  netconfNotificationsSkipped?: {
    inc(labels: EscLabels): void;
  };
}

/**
 * The `operation` label of an RPC: the NETCONF operation, except that an edit-config carrying a
 * `<vmAction>` or `<serviceAction>` is named after that action.
 */
export type EscRpcOperation = 'editConfig' | 'get' | 'vmAction' | 'serviceAction' | 'recoveryVmAction';

/** `type` of a notification that is not an escEvent, or of an escEvent type beyond {@link MAX_EVENT_TYPES}. */
export const OTHER_EVENT_TYPE = 'other';

/** Distinct escEvent types counted per ESC; ESC defines a few dozen, so more means a misbehaving peer. */
export const MAX_EVENT_TYPES = 100;

/** The operation label of an edit-config whose content is `config`: named after its top element. */
export function editConfigOperation(config: XmlNode): EscRpcOperation {
  if (config.name === 'vmAction') return 'vmAction';
  if (config.name === 'serviceAction') return 'serviceAction';
  return 'editConfig';
}

/**
 * The metrics of one ESC, with every label object built once (no allocation per RPC or event).
 * Without a {@link EscMetrics} every method does nothing; errors of the metrics are swallowed, so
 * they never break an RPC or an event delivery.
 */
export class EscMeter {
  private readonly session: EscLabels;
  private readonly rpc: Readonly<Record<EscRpcOperation, EscRpcLabels>>;
  private readonly types = new Map<string, EscNotificationLabels>();
  private readonly other: EscNotificationLabels;

  constructor(
    private readonly metrics: EscMetrics | undefined,
    readonly esc: string,
  ) {
    this.session = Object.freeze({ esc });
    const rpc = (operation: EscRpcOperation): EscRpcLabels => Object.freeze({ esc, operation });
    this.rpc = {
      editConfig: rpc('editConfig'),
      get: rpc('get'),
      vmAction: rpc('vmAction'),
      serviceAction: rpc('serviceAction'),
      recoveryVmAction: rpc('recoveryVmAction'),
    };
    this.other = Object.freeze({ esc, type: OTHER_EVENT_TYPE });
  }

  /** An RPC session to this ESC opened. */
  sessionUp(): void {
    try {
      this.metrics?.netconfSessionsUp.inc(this.session);
    } catch {
      // best effort
    }
  }

  /** An RPC session to this ESC closed or was lost. */
  sessionDown(): void {
    try {
      this.metrics?.netconfSessionsUp.dec(this.session);
    } catch {
      // best effort
    }
  }

  /** A start time for {@link rpcDone} (ms, monotonic). */
  now(): number {
    return performance.now();
  }

  /** An RPC that started at `startedAt` (from {@link now}) got its reply or failed. */
  rpcDone(operation: EscRpcOperation, startedAt: number): void {
    if (!this.metrics) return;
    try {
      this.metrics.netconfRpcLatency.observe(this.rpc[operation], (performance.now() - startedAt) / 1000);
    } catch {
      // best effort
    }
  }

  /** A notification arrived; `type` is its escEvent type, undefined when it is not an escEvent. */
  notification(type: string | undefined): void {
    if (!this.metrics) return;
    try {
      this.metrics.netconfNotifications.inc(this.notificationLabels(type));
    } catch {
      // best effort
    }
  }

  /** An escEvent was left unparsed: another replica handles it. */
  skipped(): void {
    try {
      this.metrics?.netconfNotificationsSkipped?.inc(this.session);
    } catch {
      // best effort
    }
  }

  private notificationLabels(type: string | undefined): EscNotificationLabels {
    if (type === undefined) return this.other;
    let labels = this.types.get(type);
    if (!labels) {
      if (this.types.size >= MAX_EVENT_TYPES) return this.other;
      labels = Object.freeze({ esc: this.esc, type });
      this.types.set(type, labels);
    }
    return labels;
  }
}
