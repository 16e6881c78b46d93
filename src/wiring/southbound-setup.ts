import type { Router } from 'express';
import type { Schedule } from '../async/turn-scheduler';
import type { ServiceConfig } from '../config/config-schema';
import type { DriverStore } from '../jobs/job-store';
import type { Southbound } from '../lifecycle/southbound';
import type { Log } from '../logging/log';
import type { SecretRegistry } from '../logging/secret-registry';
import type { Metrics } from '../metrics';
import type { SimulatorDelays } from '../simulator';
import { startStandalone } from '../standalone/standalone-mode';
import type { Db } from '../store/database';
import type { DriverEventSink } from '../rules/driver-event';
import type { EscVmActionPort } from '../rules/rules-engine';
import type { VesPublisher } from '../ves/ves-port';
import { defaultReplicaId } from '../lifecycle/lifecycle-service';
import { createEscDriver, EscDriverConfigError, type EscDriverTuning } from './esc-driver';
import { outboxStoreFor, reconcileLockFor } from './store-setup';

/** What a southbound factory gets once the store is open. */
export interface SouthboundContext {
  config: ServiceConfig;
  store: DriverStore;
  log: Log;
  metrics: Metrics;
  /** The service's turns, handed to where work enters from outside (see src/async/turn-scheduler.ts). */
  schedule?: Schedule;
  /** Where the passwords the southbound learns (ESC logins, VIMs, the simulator's) are registered to be masked. */
  secrets: SecretRegistry;
  /** Where what the southbound sees goes (the rules engine). */
  events?: DriverEventSink;
  /** Where decided VES events go (for the rules that decide them); absent when VES is off. */
  vesPublisher?: VesPublisher;
}

/** A southbound and what comes with it. */
export interface SouthboundSetup {
  southbound: Southbound;
  /** `onap` (ESC found through NSLCM/MSB), `standalone` (simulated ESC, local NSLCM files) or `custom` (given by the caller). */
  mode: 'onap' | 'standalone' | 'custom';
  /** Routers mounted below `/api/{vnfmtype}/v1` (standalone: the received Notify messages). */
  routers?: Router[];
  /** Stops what the setup started besides the southbound (called after the southbound is closed). */
  stop?(): Promise<void>;
  /** The ESC actions the rules may ask for (vmAction, recoveryVmAction). */
  escActions?: EscVmActionPort;
}

/** Builds the southbound once the store is open; may start servers (standalone mode). */
export type SouthboundFactory = (ctx: SouthboundContext) => Promise<SouthboundSetup>;

/** The SQLite handle behind the store; standalone mode keeps its tables there. */
export function databaseOf(store: DriverStore): Db {
  const db = (store as DriverStore & { database?: unknown }).database;
  if (!db || !(db as { pragma?: unknown }).pragma) {
    throw new EscDriverConfigError('standalone mode keeps its records in the SQLite store: unset STORE_URL, or set MSB_URL');
  }
  return db as Db;
}

/** Production: NSLCM, catalog and VNFM records through MSB_URL; ESC over NETCONF as NSLCM's VNFM record says. */
export function onapSouthbound(tuning?: EscDriverTuning): SouthboundFactory {
  return async ({ config, store, log, metrics, schedule, secrets, events }) => {
    const outboxStore = await outboxStoreFor(store, config.replicaId ?? defaultReplicaId());
    const reconcileLock = reconcileLockFor(store);
    const driver = createEscDriver({ config, store, outboxStore, reconcileLock, log, metrics, tuning, schedule, secrets, events });
    return { southbound: driver.southbound, mode: 'onap', escActions: driver.escActions };
  };
}

/** Options of {@link standaloneSouthbound} (tests shorten delays and use temporary directories). */
export interface StandaloneSouthboundOptions {
  /** Where the simulator keeps its host key and the pinned known_hosts file (default: the store's directory). */
  dataDir?: string;
  delays?: Partial<SimulatorDelays>;
  tuning?: EscDriverTuning;
}

/**
 * Standalone mode: the ESC simulator in-process on 127.0.0.1:ESC_SIMULATOR_PORT, NSLCM answered from
 * local files (STANDALONE_DIR), and the real ESC driver in between — the same NETCONF code, host key
 * checked strictly against the simulator's pinned key.
 */
export function standaloneSouthbound(opts: StandaloneSouthboundOptions = {}): SouthboundFactory {
  return async ({ config, store, log, metrics, schedule, secrets, events }) => {
    const db = databaseOf(store);
    const standalone = await startStandalone({
      config,
      log,
      db,
      secrets,
      configDir: config.standaloneDir,
      dataDir: opts.dataDir,
      delays: opts.delays,
    });
    try {
      // The simulated ESC starts without VIM connectors: the driver creates them from vims.json.
      const escConfig: ServiceConfig = {
        ...config,
        escKnownHosts: standalone.knownHostsPath,
        escStrictHostKeyChecking: 'yes',
        escManageVimConnectors: true,
      };
      const driver = createEscDriver({
        config: escConfig,
        store,
        db,
        log,
        metrics,
        nslcm: standalone.nslcm,
        tuning: opts.tuning,
        schedule,
        secrets,
        events,
      });
      return {
        southbound: driver.southbound,
        mode: 'standalone',
        routers: [standalone.router],
        stop: () => standalone.stop(),
        escActions: driver.escActions,
      };
    } catch (err) {
      await standalone.stop();
      throw err;
    }
  };
}

/** The factory the configuration calls for: with MSB_URL the ONAP southbound, without it standalone mode. */
export function southboundFor(config: ServiceConfig): SouthboundFactory {
  return config.msbUrl ? onapSouthbound() : standaloneSouthbound();
}
