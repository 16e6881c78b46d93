import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { createApp } from './api/app';
import { PollFront } from './api/poll-front';
import { answerClientErrors } from './api/client-errors';
import { createRequestListener, httpPollMetrics } from './api/request-listener';
import { settledWithin } from './async/settled-within';
import { buildConfig, ConfigError, describeConfig, loadConfig } from './config/config-loader';
import type { ServiceConfig } from './config/config-schema';
import type { DriverStore } from './jobs/job-store';
import { SqliteDriverStore } from './jobs/sqlite-store';
import { LifecycleService } from './lifecycle/lifecycle-service';
import type { Southbound } from './lifecycle/southbound';
import type { Log } from './logging/log';
import { createLogger } from './logging/logger';
import { createMetrics, type Metrics } from './metrics';
import type { MsbRegistrar } from './msb';
import { jobWorkTurns } from './jobs/work-turns';
import { DEFAULT_CHECKPOINT_INTERVAL_MS } from './store/wal-checkpointer';
import { startMsbRegistration } from './wiring/msb-registration';
import { southboundFor, type SouthboundFactory, type SouthboundSetup } from './wiring/southbound-setup';

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
   * Node options of the threads the service starts (its poll front); default: those of this process. Running
   * the TypeScript sources needs a loader there (the tests pass `--require tsx/cjs`).
   */
  threadExecArgv?: readonly string[];
  /** Called once the service has stopped itself because it could no longer serve (its poll front ended). */
  onFatal?: (reason: string) => void;
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
  /** True when a thread of its own owns the port and answers polls (src/api/poll-front.ts). */
  pollThread: boolean;
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
  const log = options.log ?? createLogger({ level: config.logLevel, defaultMeta: { service: 'esc-vnfm-driver' } });
  const metrics = options.metrics ?? createMetrics({ collectDefaults: false });
  const store = SqliteDriverStore.open(config.storePath, {
    walCheckpointIntervalMs: DEFAULT_CHECKPOINT_INTERVAL_MS,
    onStoreWarning: (message) => log.warn(message, { storePath: config.storePath }),
  });
  let setup: SouthboundSetup | undefined;
  try {
    setup = options.southbound
      ? { southbound: options.southbound, mode: 'custom' }
      : await options.southboundFactory?.({ config, store, log, metrics });
  } catch (err) {
    store.close();
    throw err;
  }
  const lifecycle = new LifecycleService({
    store, southbound: setup?.southbound, log, deadlines: config.jobDeadlineSeconds, metrics,
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
    isReady: () => msb === undefined || msb.isRegistered(),
    extraRouters: [...(options.extraRouters ?? []), ...(setup?.routers ?? [])],
  });
  const pollMetrics = httpPollMetrics(metrics, config.vnfmType);
  const server = http.createServer(createRequestListener(app, {
    vnfmType: config.vnfmType, jobs: lifecycle, log, metrics: pollMetrics, admitPost: (task) => jobWorkTurns.run(task),
  }));
  answerClientErrors(server, metrics.httpClientErrors);
  const teardown = async (): Promise<void> => {
    await lifecycle.stop(config.shutdownTimeoutMs);
    await setup?.stop?.();
    await store.shutdown();
  };
  let port: number;
  let front: PollFront | undefined;
  let stop: (() => Promise<void>) | undefined;
  try {
    if (config.pollThread && config.storePath !== ':memory:') {
      // The public address is the poll front's; this server takes what it hands on, on 127.0.0.1 only.
      await listen(server, 0, '127.0.0.1');
      front = await PollFront.start({
        host: config.host, port: config.port, vnfmType: config.vnfmType, storePath: config.storePath,
        backendPort: (server.address() as AddressInfo).port, backendTimeoutMs: BACKEND_TIMEOUT_MS, log, logLevel: config.logLevel,
        metrics: pollMetrics, nice: config.pollThreadNice, execArgv: options.threadExecArgv,
        onFailure: (message) => {
          log.error('the service can no longer be reached: stopping', { reason: message });
          void stop?.().finally(() => options.onFatal?.(message));
        },
      });
      port = front.port;
    } else {
      await listen(server, config.port, config.host);
      port = (server.address() as AddressInfo).port;
    }
    msb = startMsbRegistration(config, port, log, metrics);
  } catch (err) {
    // A failure after the front listens (MSB registration) must not leave its thread holding the port.
    await front?.close(0);
    server.close();
    await teardown();
    throw err;
  }
  const resumed = lifecycle.resumeUnfinished();
  log.info('service started', {
    port, mode: setup?.mode ?? 'none', config: describeConfig(config), msbRegistration: msb ? 'on' : 'off', resumedJobs: resumed,
    polls: front ? `answered on their own thread, priority ${front.priority}` : 'answered on the main thread',
  });
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let stopping: Promise<void> | undefined;
  stop = (): Promise<void> => (stopping ??= shutdown({ server, front, msb, teardown, timeoutMs: config.shutdownTimeoutMs, log }));
  return { url: `http://${host}:${port}`, port, config, store, lifecycle, metrics, mode: setup?.mode ?? 'none', msb, pollThread: front !== undefined, stop };
}

/** Longest wait of the poll front for the answer of this process's own server, ms (beyond every handler's own limits). */
const BACKEND_TIMEOUT_MS = 120_000;

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
  front?: PollFront;
  msb?: MsbRegistrar;
  teardown: () => Promise<void>;
  timeoutMs: number;
  log: Log;
}): Promise<void> {
  const { server, log } = opts;
  log.info('service stopping');
  await opts.msb?.stop();
  const started = Date.now();
  // The front first: it stops accepting and waits for what it handed on, then the server behind it.
  await opts.front?.close(opts.timeoutMs);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await settledWithin(closed, opts.timeoutMs - (Date.now() - started));
  server.closeAllConnections();
  await opts.teardown();
  log.info('service stopped');
}

/** Entry point of `node dist/main.js`: the only reader of process.env. Bad configuration → exit code 1. */
function main(): void {
  let config: ServiceConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    const lines = err instanceof ConfigError ? err.problems.map((p) => `  ${p.key}: ${p.reason}`) : [`  ${(err as Error).message}`];
    process.stderr.write(`invalid configuration:\n${lines.join('\n')}\n`);
    process.exit(1);
  }
  const log = createLogger({ level: config.logLevel, defaultMeta: { service: 'esc-vnfm-driver' } });
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled promise rejection', { error: reason instanceof Error ? reason.stack ?? reason.message : String(reason) });
  });
  // Without MSB_URL: standalone mode (simulated ESC, NSLCM from local files); with it: ONAP.
  const onFatal = (): never => process.exit(1);
  startService({ config, log, metrics: createMetrics(), southboundFactory: southboundFor(config), onFatal }).then(
    (service) => {
      let signals = 0;
      const onSignal = (signal: string): void => {
        signals += 1;
        if (signals > 1) {
          log.warn('second signal: exiting without waiting', { signal });
          process.exit(1);
        }
        log.info('signal received', { signal });
        service.stop().then(
          () => process.exit(0),
          (err: Error) => {
            log.error('shutdown failed', { error: err.message });
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    },
    (err: Error) => {
      log.error('service failed to start', { error: err.message, kind: err.name });
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
