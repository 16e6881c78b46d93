import type { Router } from 'express';
import type { Schedule } from '../async/turn-scheduler';
import type { ServiceConfig } from '../config/config-schema';
import type { DriverStore } from '../jobs/job-store';
import { defaultReplicaId } from '../lifecycle/lifecycle-service';
import type { Log } from '../logging/log';
import type { SecretRegistry } from '../logging/secret-registry';
import type { Metrics } from '../metrics';
import { StandaloneStore } from '../standalone/standalone-store';
import { vesEventsRouter, VES_EVENTS_PATH } from '../standalone/ves-events-router';
import { startLocalVesSink } from '../standalone/ves-sink';
import { VesCollectorClient, type VesCollectorOptions } from '../ves/ves-collector-client';
import { VesOutbox, type VesOutboxOptions } from '../ves/ves-outbox';
import { databaseOf } from './southbound-setup';
import { vesOutboxStoreFor } from './store-setup';

/** What a VES factory gets once the store is open. */
export interface VesContext {
  config: ServiceConfig;
  store: DriverStore;
  log: Log;
  metrics: Metrics;
  schedule?: Schedule;
  secrets: SecretRegistry;
}

/** VES delivery wired: the publisher (its loop already started) and what comes with it. */
export interface VesSetup {
  publisher: VesOutbox;
  /** Routers mounted below `/api/{vnfmtype}/v1` (standalone: the events the local VES sink received). */
  routers: Router[];
  /** Stops the delivery loop (events not yet delivered stay stored) and the local sink, if any. */
  stop(): Promise<void>;
}

/** Builds VES delivery once the store is open; resolves to undefined when VES is off. */
export type VesFactory = (ctx: VesContext) => Promise<VesSetup | undefined>;

/** Knobs without a configuration key (tests shorten them). Durations in ms. */
export type VesTuning = Pick<VesOutboxOptions, 'idlePollMs' | 'stopTimeoutMs' | 'retentionMs'>;

/** No VES: no publisher (what ONAP mode without VES_URL gets). */
export const noVes: VesFactory = () => Promise.resolve(undefined);

/** Events to DCAE's collector at VES_URL (basic auth VES_USER/VES_PASSWORD, VES_CA_FILE, VES_TLS_INSECURE). */
export function remoteVes(tuning?: VesTuning): VesFactory {
  return async (ctx) => {
    const { config } = ctx;
    const baseUrl = config.vesUrl;
    if (!baseUrl) return undefined;
    if (config.vesUser && config.vesPassword) ctx.secrets.add(Buffer.from(`${config.vesUser}:${config.vesPassword}`).toString('base64'));
    const client = new VesCollectorClient({
      baseUrl,
      user: config.vesUser,
      password: config.vesPassword,
      caFile: config.vesCaFile,
      tlsInsecure: config.vesTlsInsecure,
      timeoutMs: config.httpTimeoutMs,
    });
    const publisher = await startOutbox(ctx, client, tuning);
    return {
      publisher,
      routers: [],
      stop: async () => {
        await publisher.stop();
        await client.close();
      },
    };
  };
}

/**
 * Standalone mode without VES_URL: a local VES sink on 127.0.0.1 (src/standalone/ves-sink.ts) takes DCAE's place; the
 * driver posts to it like to a collector, and the events it accepted are listed at GET /standalone/ves-events.
 */
export function localVesSink(tuning?: VesTuning): VesFactory {
  return async (ctx) => {
    const events = new StandaloneStore(databaseOf(ctx.store));
    const sink = await startLocalVesSink({ events, log: ctx.log, bodyLimitBytes: ctx.config.bodyLimitBytes });
    const client: Pick<VesCollectorOptions, 'baseUrl' | 'timeoutMs'> = { baseUrl: sink.url, timeoutMs: ctx.config.httpTimeoutMs };
    const poster = new VesCollectorClient(client);
    let publisher: VesOutbox;
    try {
      publisher = await startOutbox(ctx, poster, tuning);
    } catch (err) {
      await poster.close();
      await sink.stop();
      throw err;
    }
    ctx.log.info(
      `standalone mode: VES events go to a local VES sink at ${sink.url}; listed at /api/${ctx.config.vnfmType}/v1${VES_EVENTS_PATH}`,
      {
        vesSink: sink.url,
      },
    );
    return {
      publisher,
      routers: [vesEventsRouter(events)],
      stop: async () => {
        await publisher.stop();
        await poster.close();
        await sink.stop();
      },
    };
  };
}

/** What the configuration calls for: VES_URL set → that collector; else standalone mode (no MSB_URL) → the local sink; else none. */
export function vesFor(config: ServiceConfig): VesFactory {
  if (config.vesUrl) return remoteVes();
  return config.msbUrl ? noVes : localVesSink();
}

/** The outbox in the store's database (SQLite, or PostgreSQL shared by the replicas), its loop started. */
async function startOutbox(ctx: VesContext, client: VesCollectorClient, tuning?: VesTuning): Promise<VesOutbox> {
  const { config } = ctx;
  const outbox = new VesOutbox({
    store: await vesOutboxStoreFor(ctx.store, config.replicaId ?? defaultReplicaId()),
    poster: client,
    reportingEntityName: config.vnfmType,
    batchSize: config.vesBatchSize,
    initialBackoffMs: config.vesRetryInitialMs,
    maxBackoffMs: config.vesRetryMaxMs,
    metrics: ctx.metrics,
    log: ctx.log,
    schedule: ctx.schedule,
    redact: (text) => ctx.secrets.redact(text),
    ...tuning,
  });
  outbox.start();
  ctx.log.info('VES delivery started', { collector: client.target, batchSize: config.vesBatchSize });
  return outbox;
}
