import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { createApp } from './api/app';
import { answerClientErrors } from './api/client-errors';
import { createRequestListener, httpPollMetrics } from './api/request-listener';
import { settledWithin } from './async/settled-within';
import { TurnScheduler } from './async/turn-scheduler';
import { buildConfig, ConfigError, describeConfig, loadConfig, registerSettingSecrets } from './config/config-loader';
import type { ServiceConfig } from './config/config-schema';
import type { DriverStore } from './jobs/job-store';
import { defaultReplicaId, LifecycleService } from './lifecycle/lifecycle-service';
import type { Southbound } from './lifecycle/southbound';
import type { Log } from './logging/log';
import { createLogger } from './logging/logger';
import { SecretRegistry } from './logging/secret-registry';
import { createMetrics, type Metrics } from './metrics';
import type { MsbRegistrar } from './msb';
import type { Rule } from './rules/rule-model';
import { RulesEngine, type RulesChange } from './rules/rules-engine';
import { loadConfiguredRules, reloadRules, rulesFileOf, rulesProblemLines } from './rules/rules-source';
import type { VesPublisher } from './ves/ves-port';
import { startMsbRegistration } from './wiring/msb-registration';
import { southboundFor, type SouthboundFactory, type SouthboundSetup } from './wiring/southbound-setup';
import { remoteVes, vesFor, type VesFactory, type VesSetup } from './wiring/ves-setup';
import { openStore } from './wiring/store-setup';

/** How to start the service; everything is optional (tests pass `config: {port: 0, storePath}` and a southbound). */
export interface StartOptions {
  /** Typed overrides on top of the schema defaults (or the whole loaded configuration). */
  config?: Partial<ServiceConfig>;
  /** A ready southbound (tests); wins over `southboundFactory`. */
  southbound?: Southbound;
  /** Builds the southbound and what comes with it once the store is open (what `main()` uses). */
  southboundFactory?: SouthboundFactory;
  log?: Log;
  /** Routers mounted below `/api/{vnfmtype}/v1`, besides those the southbound setup brings. */
  extraRouters?: Router[];
  /** Metrics registry; default a fresh one without process metrics. */
  metrics?: Metrics;
  /**
   * The secrets every outgoing text is masked with (give the one `log` masks with); default a fresh one. The
   * settings' secrets are added to it here, the ESC and VIM passwords as the southbound learns them.
   */
  secrets?: SecretRegistry;
  /**
   * An open store to use instead of the one the configuration names (PostgreSQL at `storeUrl`, else SQLite at
   * `storePath`); the service closes it when it stops.
   */
  store?: DriverStore;
  /**
   * Builds VES delivery once the store is open (`vesFor(config)` in `serve()`); default: to VES_URL when it is set,
   * else none. Its publisher is handed to the southbound factory (`vesPublisher`) and returned as `RunningService.ves`.
   */
  ves?: VesFactory;
  /** The event → condition → action rules; default: read from RULES_FILE (or the bundled default rules). */
  rules?: Rule[];
  /** A publisher for the rules' VES events instead of the one `ves` builds (tests record what the rules decide). */
  vesPublisher?: VesPublisher;
}

/** A running service. `stop()` is idempotent. */
export interface RunningService {
  url: string;
  port: number;
  config: ServiceConfig;
  store: DriverStore;
  lifecycle: LifecycleService;
  metrics: Metrics;
  /** How the southbound was set up, or `none` (operations answer 503). */
  mode: SouthboundSetup['mode'] | 'none';
  /** Present while the service keeps itself registered in MSB. */
  msb?: MsbRegistrar;
  /** The rules engine in force. */
  rules: RulesEngine;
  /** Re-reads RULES_FILE (SIGHUP): what changed, or undefined when the file is invalid and the old rules stay. */
  reloadRules(): RulesChange | undefined;
  /** Where decided VES events are published (stored, then delivered in order per source); absent when VES is off. */
  ves?: VesPublisher;
  stop(): Promise<void>;
}

/**
 * Composition root: opens the store, builds the southbound, wires the use cases and the app, listens,
 * registers in MSB when asked to and resumes unfinished jobs. Whatever was started is stopped again
 * when a later step fails.
 */
export async function startService(options: StartOptions = {}): Promise<RunningService> {
  const config: ServiceConfig = { ...buildConfig(), ...options.config };
  // SERVICE_PORT defaults to PORT: keep it so when only the port is overridden.
  if (options.config?.port !== undefined && options.config.servicePort === undefined) config.servicePort = config.port;
  config.replicaId ??= defaultReplicaId();
  const secrets = options.secrets ?? new SecretRegistry();
  registerSettingSecrets(config, secrets);
  const log =
    options.log ?? createLogger({ level: config.logLevel, format: config.logFormat, defaultMeta: { service: 'esc-vnfm-driver' }, secrets });
  const metrics = options.metrics ?? createMetrics({ collectDefaults: false });
  // Job texts are stored as NSLCM and operators will read them: masked once, before they are written.
  const redact = (text: string): string => secrets.redact(text);
  // Read before anything opens: a bad rules file refuses the start (RulesFileError names the rule and field).
  const ruleList = options.rules ?? loadConfiguredRules(config);
  const store = options.store ?? (await openStore(config, { redact, log }));
  // One queue of turns for the work that requests, NSLCM answers, Notify passes and ESC messages start.
  const turns = new TurnScheduler({
    onError: (err) => log.error('a scheduled task failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  });
  let ves: VesSetup | undefined;
  let setup: SouthboundSetup | undefined;
  let rules: RulesEngine;
  let publisher: VesPublisher | undefined;
  try {
    ves = await (options.ves ?? remoteVes())({ config, store, log, metrics, schedule: turns.schedule, secrets });
    publisher = options.vesPublisher ?? ves?.publisher;
    rules = new RulesEngine({ log, metrics, publisher }, ruleList);
    setup = options.southbound
      ? { southbound: options.southbound, mode: 'custom' }
      : await options.southboundFactory?.({
          config,
          store,
          log,
          metrics,
          schedule: turns.schedule,
          secrets,
          vesPublisher: publisher,
          events: rules,
        });
  } catch (err) {
    await ves?.stop();
    await store.close();
    throw err;
  }
  if (setup?.escActions) rules.useEscActions(setup.escActions);
  const lifecycle = new LifecycleService({
    store,
    southbound: setup?.southbound,
    log,
    deadlines: config.jobDeadlineSeconds,
    metrics,
    ownership: { replicaId: config.replicaId, leaseTtlMs: config.leaseTtlMs, renewEveryMs: config.leaseRenewMs },
  });
  let msb: MsbRegistrar | undefined;
  const app = createApp({
    vnfmType: config.vnfmType,
    bodyLimitBytes: config.bodyLimitBytes,
    jsonLimits: { maxDepth: config.jsonMaxDepth, maxArrayLength: config.jsonMaxArrayLength },
    lifecycle,
    store,
    log,
    metrics,
    redact,
    isReady: () => msb === undefined || msb.isRegistered(),
    // The embedded store fails with this process; a database the replicas share may be down for all of them.
    storeInLiveness: options.store === undefined && !config.storeUrl,
    extraRouters: [...(options.extraRouters ?? []), ...(setup?.routers ?? []), ...(ves?.routers ?? [])],
    launchJobs: turns.schedule,
  });
  const server = http.createServer(
    createRequestListener(app, {
      vnfmType: config.vnfmType,
      jobs: lifecycle,
      log,
      metrics: httpPollMetrics(metrics, config.vnfmType),
      admitPost: turns.admit,
    }),
  );
  answerClientErrors(server, metrics.httpClientErrors);
  const teardown = async (): Promise<void> => {
    await lifecycle.stop(config.shutdownTimeoutMs);
    // The VES events the last escEvents decided are stored before the store closes.
    await rules.drain(config.shutdownTimeoutMs);
    await setup?.stop?.();
    await ves?.stop();
    await store.close();
  };
  let port: number;
  try {
    await listen(server, config.port, config.host);
    port = (server.address() as AddressInfo).port;
    msb = startMsbRegistration(config, port, log, metrics);
  } catch (err) {
    server.close();
    await teardown();
    throw err;
  }
  const resumed = await lifecycle.resumeUnfinished();
  log.info('service started', {
    port,
    mode: setup?.mode ?? 'none',
    rules: rules.ruleNames,
    config: describeConfig(config),
    msbRegistration: msb ? 'on' : 'off',
    ves: publisher ? 'on' : 'off',
    store: config.storeUrl && !options.store ? 'postgres' : options.store ? 'given' : 'sqlite',
    replicaId: config.replicaId,
    resumedJobs: resumed,
  });
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  logWhereToFind(log, `http://${host}:${port}`, config.vnfmType);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= shutdown({ server, msb, teardown, timeoutMs: config.shutdownTimeoutMs, log }));
  const reload = (): RulesChange | undefined => reloadRules(rules, rulesFileOf(config), log);
  return {
    url: `http://${host}:${port}`,
    port,
    config,
    store,
    lifecycle,
    metrics,
    mode: setup?.mode ?? 'none',
    msb,
    rules,
    reloadRules: reload,
    ves: ves?.publisher,
    stop,
  };
}

/** One line saying where the API, its docs page and the metrics are (what a first-time user looks for). */
function logWhereToFind(log: Log, url: string, vnfmType: string): void {
  const api = `${url}/api/${vnfmType}/v1`;
  log.info(`API at ${api}, docs at ${api}/docs, metrics at ${url}/metrics`, { api, docs: `${api}/docs`, metrics: `${url}/metrics` });
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Deregisters from MSB (so no new requests are routed here), stops accepting, lets in-flight requests
 * finish (up to `timeoutMs`), stops jobs and the southbound, closes the store.
 */
async function shutdown(opts: {
  server: http.Server;
  msb?: MsbRegistrar;
  teardown: () => Promise<void>;
  timeoutMs: number;
  log: Log;
}): Promise<void> {
  const { server, log } = opts;
  log.info('service stopping');
  await opts.msb?.stop();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await settledWithin(closed, opts.timeoutMs);
  server.closeAllConnections();
  await opts.teardown();
  log.info('service stopped');
}

/**
 * Runs the service as configured by the environment and CONFIG_FILE (`node dist/main.js`, `esc-vnfm-driver serve`):
 * the service's only reader of process.env. Bad configuration → exit code 1.
 */
export function serve(): void {
  let config: ServiceConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    const lines = err instanceof ConfigError ? err.problems.map((p) => `  ${p.key}: ${p.reason}`) : [`  ${(err as Error).message}`];
    process.stderr.write(`invalid configuration:\n${lines.join('\n')}\n`);
    process.exit(1);
  }
  let rules: Rule[];
  try {
    rules = loadConfiguredRules(config);
  } catch (err) {
    process.stderr.write(`invalid rules file ${rulesFileOf(config)}:\n${rulesProblemLines(err).join('\n')}\n`);
    process.exit(1);
  }
  const secrets = new SecretRegistry();
  const log = createLogger({ level: config.logLevel, format: config.logFormat, defaultMeta: { service: 'esc-vnfm-driver' }, secrets });
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled promise rejection', { error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason) });
  });
  // The handlers are in place before the service announces itself: a SIGTERM sent as soon as "service started"
  // is read must stop the service, not kill the process with the default action.
  let service: RunningService | undefined;
  let signals = 0;
  const stopAndExit = (running: RunningService): void => {
    running.stop().then(
      () => process.exit(0),
      (err: Error) => {
        log.error('shutdown failed', { error: err.message });
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string): void => {
    signals += 1;
    if (signals > 1) {
      log.warn('second signal: exiting without waiting', { signal });
      process.exit(1);
    }
    log.info('signal received', { signal });
    if (service) stopAndExit(service);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // SIGHUP re-reads the rules file; an invalid file is logged and the rules in force stay.
  process.on('SIGHUP', () => {
    log.info('signal received', { signal: 'SIGHUP' });
    service?.reloadRules();
  });
  // Without MSB_URL: standalone mode (simulated ESC, NSLCM from local files); with it: ONAP.
  startService({
    config,
    log,
    secrets,
    rules,
    // REPLICA_ID, when set, labels every metric (`replica`); the default id changes with every process, so it does not.
    metrics: createMetrics({ replica: config.replicaId }),
    southboundFactory: southboundFor(config),
    ves: vesFor(config),
  }).then(
    (running) => {
      service = running;
      if (signals > 0) stopAndExit(running);
    },
    (err: Error) => {
      log.error('service failed to start', { error: err.message, kind: err.name });
      process.exit(1);
    },
  );
}

// With arguments (e.g. --help, --version), node dist/main.js is the command line (src/cli.ts).
if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, so `serve` does not load the command line
  if (process.argv.length > 2) (require('./cli') as typeof import('./cli')).main();
  else serve();
}
