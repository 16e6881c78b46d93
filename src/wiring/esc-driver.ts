import type { Schedule } from '../async/turn-scheduler';
import type { ServiceConfig } from '../config/config-schema';
import { EscConnectionPool } from '../esc/esc-connection-pool';
import type { EscEventView } from '../esc/esc-event-view';
import { DEFAULT_ESC_RUNTIME_SETTINGS, type EscRuntimeSettings } from '../esc/esc-runtime-settings';
import { NetconfEscConnector } from '../esc/netconf-esc-connector';
import type { DriverStore } from '../jobs/job-store';
import { EscSouthbound } from '../lifecycle/esc-southbound';
import { EscResponsibility } from '../lifecycle/esc-responsibility';
import { InventoryReconciler } from '../lifecycle/inventory-reconciler';
import type { StoryDeps } from '../lifecycle/operation-run';
import type { NslcmPort, ReconcileLock } from '../lifecycle/ports';
import type { Southbound } from '../lifecycle/southbound';
import type { Log } from '../logging/log';
import type { SecretRegistry } from '../logging/secret-registry';
import type { Metrics } from '../metrics';
import { EscLocator } from '../nslcm/esc-locator';
import { NotifyOutbox, type NotifyOutboxOptions, type NotifyOutboxStore, type NotifySender } from '../nslcm/notify-outbox';
import { SqliteNotifyOutboxStore } from '../nslcm/notify-outbox-store';
import { NslcmClient } from '../nslcm/nslcm-client';
import { stripUrlCredentials } from '../logging/redact';
import type { VnfmInfo } from '../nslcm/nslcm-types';
import type { Db } from '../store/database';
import type { DriverEventSink } from '../rules/driver-event';
import type { EscVmActionPort } from '../rules/rules-engine';
import { buildRecoveryVmAction, buildVmAction } from '../esc/mapping/edit-builders';
import { escDeadlineBudget } from './deadline-budget';
import { DriverEventTaps } from './driver-event-taps';

/** Every NSLCM/catalog call the ESC driver makes; {@link NslcmClient} implements it, standalone mode passes a local one. */
export interface NslcmCalls extends NslcmPort, NotifySender {
  getVnfmInfo(vnfmId: string): Promise<VnfmInfo>;
}

/** Knobs that have no configuration key (tests and benchmarks shorten them). Durations in ms. */
export interface EscDriverTuning {
  /** Overrides of the ESC runtime settings (applied after the ones derived from the configuration). */
  runtime?: Partial<EscRuntimeSettings>;
  /** First and longest pause between escEvent reconnect attempts (default 1 000 / 30 000). */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** Notify outbox retry schedule and idle poll. */
  outbox?: Pick<NotifyOutboxOptions, 'initialBackoffMs' | 'maxBackoffMs' | 'idlePollMs' | 'concurrency' | 'stopTimeoutMs'>;
  /** How long a located ESC endpoint is reused (default 300 000). */
  locatorTtlMs?: number;
}

/** Inputs of {@link createEscDriver}. */
export interface EscDriverOptions {
  config: ServiceConfig;
  store: DriverStore;
  /** The SQLite handle the store uses; the Notify outbox keeps its table there unless `outboxStore` is given. */
  db?: Db;
  /** Where the Notify outbox keeps its messages instead (e.g. a networked database). */
  outboxStore?: NotifyOutboxStore;
  /** When replicas share the store: the lock under which one of them reconciles an ESC's deployments at a time. */
  reconcileLock?: ReconcileLock;
  log: Log;
  /** Replaces the HTTP client of NSLCM (required when MSB_URL is unset). */
  nslcm?: NslcmCalls;
  /**
   * When given: the Notify outbox depth (published every few seconds) and retries, and the NETCONF
   * metrics of every ESC (RPC session up, RPC latency, escEvents received).
   */
  metrics?: Metrics;
  tuning?: EscDriverTuning;
  /** The service's turns: NSLCM answers, Notify outbox passes and what ESC sends are handled in them. */
  schedule?: Schedule;
  /** The service's secret registry: ESC and VIM passwords are added as they are learned; Notify texts are masked with it. */
  secrets: SecretRegistry;
  /** Where what the driver sees goes (the rules engine): escEvents, ESC reachability, failed jobs, inventory differences. */
  events?: DriverEventSink;
}

/** The wired ESC driver. `southbound.close()` closes the ESC connections and stops the outbox. */
export interface EscDriver {
  southbound: Southbound;
  outbox: NotifyOutbox;
  locator: EscLocator;
  /** vmAction / recoveryVmAction on the ESC of a VNFM, for the rules. */
  escActions: EscVmActionPort;
}

/** The configuration cannot give the driver an NSLCM to talk to. */
export class EscDriverConfigError extends Error {
  readonly code = 'ESC_DRIVER_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'EscDriverConfigError';
  }
}

const OUTBOX_GAUGE_INTERVAL_MS = 5_000;

/**
 * Builds the production southbound from the configuration: NSLCM client (MSB_URL, HTTP_TIMEOUT_MS),
 * ESC locator (ESC_NETCONF_PORT), NETCONF connector (ESC_KNOWN_HOSTS, ESC_STRICT_HOST_KEY_CHECKING,
 * ESC_CONNECT_TIMEOUT_MS, ESC_RPC_TIMEOUT_MS), the durable Notify outbox (NOTIFY_ENUM_DIALECT) and the
 * ESC runtime, whose deadlines are capped below JOB_DEADLINE_SECONDS (see {@link escDeadlineBudget}), and the
 * inventory reconciler (RECONCILE_INTERVAL_MS), which also handles ESC-initiated escEvents.
 * The outbox and the reconciler start at once.
 */
export function createEscDriver(opts: EscDriverOptions): EscDriver {
  const { config, store, log, tuning = {} } = opts;
  const { secrets } = opts;
  const nslcm = opts.nslcm ?? nslcmClientFor(config, log, secrets, opts.schedule);
  const outbox = new NotifyOutbox({
    store: opts.outboxStore ?? sqliteOutbox(opts.db),
    sender: nslcm,
    dialect: config.notifyEnumDialect,
    log,
    metrics: opts.metrics,
    schedule: opts.schedule,
    requestIdOf: async (jobId) => (await store.getJob(jobId))?.requestId,
    redact: (text) => secrets.redact(text),
    ...tuning.outbox,
  });
  const locator = new EscLocator({ nslcm, defaultPort: config.escNetconfPort, ttlMs: tuning.locatorTtlMs, log, secrets });
  const connector = new NetconfEscConnector(
    {
      knownHostsPath: config.escKnownHosts,
      strictHostKeyChecking: config.escStrictHostKeyChecking,
      connectTimeoutMs: config.escConnectTimeoutMs,
      rpcTimeoutMs: config.escRpcTimeoutMs,
      reconnectInitialMs: tuning.reconnectInitialMs ?? 1_000,
      reconnectMaxMs: tuning.reconnectMaxMs ?? 30_000,
    },
    { metrics: opts.metrics, schedule: opts.schedule },
  );
  // One replica at a time is responsible for an ESC's ESC-initiated changes and handles all its escEvents.
  const responsibility = new EscResponsibility({ lock: opts.reconcileLock, retryMs: config.reconcileIntervalMs, log });
  const taps = opts.events ? new DriverEventTaps(opts.events, store, log) : undefined;
  const pool = new EscConnectionPool<EscEventView>({
    connector,
    locator,
    log,
    responsibility: { holds: (esc) => responsibility.holds(esc), claim: (esc) => void responsibility.claim(esc) },
    // Called only once the channels are open, after `inventory` is set.
    onUnsolicited: (e, channel) => inventory.onEscEvent(e, channel.address),
    onReconnected: () => inventory.onReconnected(),
    ...(taps
      ? {
          onEvent: (e: EscEventView, esc: string) => taps.escEvent(e, esc),
          onUnreachable: (esc: string, err: Error) => taps.escUnreachable(esc, err),
          onReachable: (esc: string) => taps.escReachable(esc),
        }
      : {}),
  });
  const notify = taps ? taps.notifyOutbox(outbox) : outbox;
  const inventory = new InventoryReconciler({
    store,
    esc: pool,
    outbox: taps ? taps.notifyOutbox(outbox, true) : outbox,
    log,
    intervalMs: config.reconcileIntervalMs,
    metrics: opts.metrics,
    responsibility,
  });
  const budget = escDeadlineBudget(config.jobDeadlineSeconds, DEFAULT_ESC_RUNTIME_SETTINGS.cleanupTimeoutMs);
  const settings: EscRuntimeSettings = {
    ...DEFAULT_ESC_RUNTIME_SETTINGS,
    cleanupTimeoutMs: budget.cleanupTimeoutMs,
    resumeGraceMs: Math.min(DEFAULT_ESC_RUNTIME_SETTINGS.resumeGraceMs, budget.cleanupTimeoutMs),
    deadlineCapsMs: budget.capsMs,
    ...tuning.runtime,
  };
  const stopGauge = opts.metrics ? publishOutboxDepth(outbox, opts.metrics) : () => undefined;
  const placement = { connectors: config.escVimConnectors ?? {}, manage: config.escManageVimConnectors };
  const wired = new WiredEscSouthbound(
    { esc: pool, nslcm, outbox: notify, settings, placement, healingOwner: config.healingOwner },
    async () => {
      await inventory.stop();
      // The locks go at once, so that another replica takes over this replica's ESCs without waiting for a retry.
      await responsibility.stop();
    },
    async () => {
      stopGauge();
      await outbox.stop();
    },
  );
  const southbound = taps ? taps.southbound(wired) : wired;
  outbox.start();
  responsibility.start();
  inventory.start();
  log.info('ESC driver wired', {
    nslcm: opts.nslcm ? 'local' : stripUrlCredentials(config.msbUrl ?? ''),
    escNetconfPort: config.escNetconfPort,
    strictHostKeyChecking: config.escStrictHostKeyChecking,
    deadlineCapsMs: budget.capsMs,
    vimConnectors: placement.connectors,
    manageVimConnectors: placement.manage,
    healingOwner: config.healingOwner,
  });
  return { southbound, outbox, locator, escActions: escActionsOver(pool) };
}

/** The ESC actions of the rules, sent on the channel of the VNF's VNFM. */
function escActionsOver(pool: EscConnectionPool<EscEventView>): EscVmActionPort {
  return {
    async vmAction(vnfmId, escVmName, action, force) {
      const channel = await pool.channelFor(vnfmId);
      await channel.editConfig(buildVmAction(action, escVmName, force));
    },
    async recoveryVmAction(vnfmId, escVmName) {
      const channel = await pool.channelFor(vnfmId);
      await channel.action(buildRecoveryVmAction(escVmName));
    },
  };
}

function sqliteOutbox(db: Db | undefined): NotifyOutboxStore {
  if (!db) throw new EscDriverConfigError('the Notify outbox needs a store: give the SQLite handle or an outbox store');
  return new SqliteNotifyOutboxStore(db);
}

function nslcmClientFor(config: ServiceConfig, log: Log, secrets: SecretRegistry, schedule?: Schedule): NslcmClient {
  if (!config.msbUrl) throw new EscDriverConfigError('MSB_URL is not set: the ESC driver cannot reach NSLCM');
  return new NslcmClient({
    baseUrl: config.msbUrl,
    timeoutMs: config.httpTimeoutMs,
    log,
    partnerName: config.vnfmType,
    schedule,
    secrets,
  });
}

function publishOutboxDepth(outbox: NotifyOutbox, metrics: Metrics): () => void {
  const update = (): void => {
    outbox.depth().then(
      (depth) => metrics.notifyOutboxDepth.set(depth),
      () => undefined, // the store is closing; the next start publishes again
    );
  };
  update();
  const timer = setInterval(update, OUTBOX_GAUGE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** The ESC southbound whose close() also stops what the wiring started. */
class WiredEscSouthbound extends EscSouthbound {
  constructor(
    deps: StoryDeps<EscEventView>,
    private readonly beforeClose: () => Promise<void>,
    private readonly onClose: () => Promise<void>,
  ) {
    super(deps);
  }

  override async close(): Promise<void> {
    await this.beforeClose();
    await super.close();
    await this.onClose();
  }
}
