import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { createApp } from './api/app';
import { buildConfig, ConfigError, describeConfig, loadConfig } from './config/config-loader';
import type { ServiceConfig } from './config/config-schema';
import type { DriverStore } from './jobs/job-store';
import { SqliteDriverStore } from './jobs/sqlite-store';
import { LifecycleService } from './lifecycle/lifecycle-service';
import type { Southbound } from './lifecycle/southbound';
import type { Log } from './logging/log';
import { createLogger } from './logging/logger';
import { escSouthboundFactory } from './wiring/esc-driver';

/** How to start the service; everything is optional (tests pass `config: {port: 0, storePath}` and a southbound). */
export interface StartOptions {
  /** Typed overrides on top of the schema defaults (or the whole loaded configuration). */
  config?: Partial<ServiceConfig>;
  southbound?: Southbound;
  /** Builds the southbound once the store is open (used when `southbound` is absent). */
  createSouthbound?: (config: ServiceConfig, store: DriverStore, log: Log) => Southbound | undefined;
  log?: Log;
  extraRouters?: Router[];
}

/** A running service. `stop()` is idempotent. */
export interface RunningService {
  url: string;
  port: number;
  config: ServiceConfig;
  store: DriverStore;
  lifecycle: LifecycleService;
  stop(): Promise<void>;
}

/** Composition root: opens the store, wires the use cases and the app, listens and resumes unfinished jobs. */
export async function startService(options: StartOptions = {}): Promise<RunningService> {
  const config: ServiceConfig = { ...buildConfig(), ...options.config };
  const log = options.log ?? createLogger({ level: config.logLevel, defaultMeta: { service: 'esc-vnfm-driver' } });
  const store = SqliteDriverStore.open(config.storePath);
  const southbound = options.southbound ?? options.createSouthbound?.(config, store, log);
  const lifecycle = new LifecycleService({ store, southbound, log, deadlines: config.jobDeadlineSeconds });
  const app = createApp({
    vnfmType: config.vnfmType, bodyLimitBytes: config.bodyLimitBytes, lifecycle, store, log, extraRouters: options.extraRouters,
  });
  const server = http.createServer(app);
  try {
    await listen(server, config.port, config.host);
  } catch (err) {
    store.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const resumed = lifecycle.resumeUnfinished();
  log.info('service started', { port, config: describeConfig(config), southbound: southbound ? 'configured' : 'none', resumedJobs: resumed });
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= shutdown(server, lifecycle, store, config.shutdownTimeoutMs, log));
  return { url: `http://${host}:${port}`, port, config, store, lifecycle, stop };
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

/** Stops accepting, lets in-flight requests finish (up to `timeoutMs`), stops jobs, closes the store. */
async function shutdown(server: http.Server, lifecycle: LifecycleService, store: DriverStore, timeoutMs: number, log: Log): Promise<void> {
  log.info('service stopping');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([closed, timeout]);
  clearTimeout(timer);
  server.closeAllConnections();
  await lifecycle.stop(timeoutMs);
  store.close();
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
  // With MSB_URL set, the ESC driver is the southbound; without it the API runs with no southbound (503 on operations).
  const createSouthbound = config.msbUrl ? escSouthboundFactory() : undefined;
  startService({ config, log, createSouthbound }).then(
    (service) => {
      const onSignal = (signal: string): void => {
        log.info('signal received', { signal });
        void service.stop().then(() => process.exit(0));
      };
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
    },
    (err: Error) => {
      log.error('service failed to start', { error: err.message });
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
