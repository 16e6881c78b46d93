import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Options for {@link createMetrics}. */
export interface MetricsOptions {
  /** Also collect prom-client's process metrics (CPU, memory, event loop). Default true. */
  collectDefaults?: boolean;
  /**
   * The replica this process is (REPLICA_ID): when given, every sample carries it as the label `replica`, so the
   * series of replicas stay apart wherever they are gathered (a scrape through the Service, federation, remote
   * write) and name the same replica as the job owners in the store and the logs.
   */
  replica?: string;
}

/**
 * Every metric the driver exposes, in one registry of its own (never prom-client's global one,
 * so that tests and several app instances in one process do not collide).
 * Label values must come from small, fixed sets: route patterns, operation names, ESC `host:port`.
 * The lifecycle (`JobMetrics`), the ESC layer (`EscMetrics`) and the Notify outbox
 * (`NotifyOutboxMetrics`) take structural subsets of this object, so they do not import prom-client.
 */
export interface Metrics {
  registry: Registry;
  /** `http_requests_total{method, route, status}`; `route` is the route pattern, never the raw URL. */
  httpRequests: Counter<'method' | 'route' | 'status'>;
  /** `http_request_duration_seconds{method, route}`. */
  httpDuration: Histogram<'method' | 'route'>;
  /** `http_client_errors_total{code}`: requests the HTTP parser refused (Node's error code, e.g. HPE_HEADER_OVERFLOW). */
  httpClientErrors: Counter<'code'>;
  /** `vnfm_jobs_started_total{operation}` (instantiate, terminate, scale, heal, operate). */
  jobsStarted: Counter<'operation'>;
  /** `vnfm_jobs_finished_total{operation}`: jobs that reached status `finished`. */
  jobsFinished: Counter<'operation'>;
  /** `vnfm_jobs_failed_total{operation}`: jobs that reached status `error`. */
  jobsFailed: Counter<'operation'>;
  /** `vnfm_job_duration_seconds{operation}`: from acceptance to a final status. */
  jobDuration: Histogram<'operation'>;
  /** `netconf_sessions_up{esc}`: open RPC sessions to that ESC (`host:port`): 1 while open, 0 after loss or close. */
  netconfSessionsUp: Gauge<'esc'>;
  /** `netconf_rpc_duration_seconds{esc, operation}`: RPC round trip (editConfig, get, vmAction, serviceAction). */
  netconfRpcLatency: Histogram<'esc' | 'operation'>;
  /** `netconf_notifications_total{esc, type}`: notifications received, by escEvent type (`other` when not one). */
  netconfNotifications: Counter<'esc' | 'type'>;
  /** `netconf_notifications_skipped_total{esc}`: escEvents left unparsed because another replica handles them. */
  netconfNotificationsSkipped: Counter<'esc'>;
  /** `nslcm_notify_outbox_depth`: Notify messages waiting to be delivered to NSLCM. */
  notifyOutboxDepth: Gauge;
  /** `nslcm_notify_retries_total`: Notify deliveries retried after a failure. */
  notifyRetries: Counter;
  /** `vnfm_esc_initiated_failures_total{type}`: ESC-initiated workflows (recovery, elastic scaling) on our deployments that failed. */
  escInitiatedFailures: Counter<'type'>;
  /** `vnfm_inventory_changes_total{operation}`: changes ESC made on its own, reported to NSLCM (Heal, Scaleout, Scalein). */
  inventoryChanges: Counter<'operation'>;
  /** `msb_registered`: 1 while the service is registered in MSB, else 0. */
  msbRegistered: Gauge;
  /** `vnfm_rule_matches_total{rule}`: driver events a rule's event, filter and threshold took (fired or not). */
  ruleMatches: Counter<'rule'>;
  /** `vnfm_rule_firings_total{rule}`: matches on which a rule's trigger fired and its actions ran. */
  ruleFirings: Counter<'rule'>;
  /** `vnfm_rule_action_failures_total{rule, action}`: rule actions that failed (VES event not stored, ESC refused…). */
  ruleActionFailures: Counter<'rule' | 'action'>;
  /** `ves_events_sent_total`: VES events the collector accepted. */
  vesSent: Counter;
  /** `ves_events_dropped_total`: VES events the collector refused for good (dropped). */
  vesDropped: Counter;
  /** `ves_delivery_retries_total{status}`: VES events kept for another attempt after a failed POST, by answer. */
  vesRetries: Counter<'status'>;
  /** `ves_outbox_depth`: VES events stored and not yet accepted nor dropped. */
  vesQueued: Gauge;
}

/**
 * How often the event-loop delay behind `nodejs_eventloop_lag_*` is sampled, ms. prom-client's default of 10 ms wakes
 * an idle process 100 times a second, about 4 ms of CPU per second per replica for one metric; at 100 ms a stall of
 * 100 ms or more still always shows in the maximum, shorter ones in proportion to how often they happen.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 3000];
const RPC_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Builds a fresh registry holding every driver metric. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.replica !== undefined) registry.setDefaultLabels({ replica: options.replica });
  if (options.collectDefaults ?? true) {
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by route pattern',
      labelNames: ['method', 'route'],
      buckets: HTTP_BUCKETS,
      registers,
    }),
    httpClientErrors: new Counter({
      name: 'http_client_errors_total',
      help: "HTTP requests refused by the server's parser, by error code",
      labelNames: ['code'],
      registers,
    }),
    jobsStarted: new Counter({
      name: 'vnfm_jobs_started_total',
      help: 'Lifecycle jobs accepted',
      labelNames: ['operation'],
      registers,
    }),
    jobsFinished: new Counter({
      name: 'vnfm_jobs_finished_total',
      help: 'Lifecycle jobs that finished',
      labelNames: ['operation'],
      registers,
    }),
    jobsFailed: new Counter({
      name: 'vnfm_jobs_failed_total',
      help: 'Lifecycle jobs that ended in error',
      labelNames: ['operation'],
      registers,
    }),
    jobDuration: new Histogram({
      name: 'vnfm_job_duration_seconds',
      help: 'Lifecycle job duration in seconds, acceptance to final status',
      labelNames: ['operation'],
      buckets: JOB_BUCKETS,
      registers,
    }),
    netconfSessionsUp: new Gauge({
      name: 'netconf_sessions_up',
      help: 'Open NETCONF sessions, by ESC',
      labelNames: ['esc'],
      registers,
    }),
    netconfRpcLatency: new Histogram({
      name: 'netconf_rpc_duration_seconds',
      help: 'NETCONF RPC round trip in seconds',
      labelNames: ['esc', 'operation'],
      buckets: RPC_BUCKETS,
      registers,
    }),
    netconfNotifications: new Counter({
      name: 'netconf_notifications_total',
      help: 'NETCONF notifications received, by ESC and event type',
      labelNames: ['esc', 'type'],
      registers,
    }),
    netconfNotificationsSkipped: new Counter({
      name: 'netconf_notifications_skipped_total',
      help: 'escEvents left unparsed because no job of this replica waits on them and another replica handles its ESC',
      labelNames: ['esc'],
      registers,
    }),
    notifyOutboxDepth: new Gauge({
      name: 'nslcm_notify_outbox_depth',
      help: 'Notify messages waiting for delivery to NSLCM',
      registers,
    }),
    notifyRetries: new Counter({
      name: 'nslcm_notify_retries_total',
      help: 'Notify deliveries retried after a failure',
      registers,
    }),
    escInitiatedFailures: new Counter({
      name: 'vnfm_esc_initiated_failures_total',
      help: 'ESC-initiated workflows (recovery, elastic scaling) on owned deployments that failed, by escEvent type',
      labelNames: ['type'],
      registers,
    }),
    inventoryChanges: new Counter({
      name: 'vnfm_inventory_changes_total',
      help: 'Changes ESC made to owned deployments on its own, reported to NSLCM, by operation',
      labelNames: ['operation'],
      registers,
    }),
    msbRegistered: new Gauge({
      name: 'msb_registered',
      help: '1 while registered in MSB, else 0',
      registers,
    }),
    ruleMatches: new Counter({
      name: 'vnfm_rule_matches_total',
      help: 'Driver events a rule matched (event, filter and threshold), by rule name',
      labelNames: ['rule'],
      registers,
    }),
    ruleFirings: new Counter({
      name: 'vnfm_rule_firings_total',
      help: 'Rule matches whose trigger fired and whose actions ran, by rule name',
      labelNames: ['rule'],
      registers,
    }),
    ruleActionFailures: new Counter({
      name: 'vnfm_rule_action_failures_total',
      help: 'Rule actions that failed (VES event not stored, ESC action refused), by rule name and action',
      labelNames: ['rule', 'action'],
      registers,
    }),
    vesSent: new Counter({ name: 'ves_events_sent_total', help: 'VES events the collector accepted', registers }),
    vesDropped: new Counter({
      name: 'ves_events_dropped_total',
      help: 'VES events the collector refused (400 and other 4xx but 401, 403, 404, 408 and 429), dropped',
      registers,
    }),
    vesRetries: new Counter({
      name: 'ves_delivery_retries_total',
      help: 'VES events kept for another attempt after a failed POST, by HTTP status (none: no answer)',
      labelNames: ['status'],
      registers,
    }),
    vesQueued: new Gauge({ name: 'ves_outbox_depth', help: 'VES events stored and not yet accepted nor dropped', registers }),
  };
}
