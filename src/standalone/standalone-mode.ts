import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import type { ServiceConfig } from '../config/config-schema';
import type { Log } from '../logging/log';
import type { SecretRegistry } from '../logging/secret-registry';
import { knownHostsName } from '../netconf/known-hosts';
import { startSimulator, type RunningSimulator, type SimulatorDelays } from '../simulator';
import type { Db } from '../store/database';
import { LocalNslcm } from './local-nslcm';
import { escSimulatorRouter } from './esc-simulator-router';
import { notificationsRouter, NOTIFICATIONS_PATH } from './notifications-router';
import { DEFAULT_STANDALONE_DIR, loadSimulatorSettings, loadStandaloneConfig } from './standalone-config';
import { StandaloneStore } from './standalone-store';

/** The simulator listens on loopback only. */
export const SIMULATOR_HOST = '127.0.0.1';

/** What standalone mode needs. */
export interface StandaloneOptions {
  config: ServiceConfig;
  log: Log;
  /** Database for received Notify messages and grants (component `standalone`). */
  db: Db;
  /** Directory of vnfms.json, vims.json, grants.json, simulator.json, packages/ (default `config/standalone`). */
  configDir?: string;
  /** Where the simulator's host key and the pinned known_hosts file live (default: the store's directory). */
  dataDir?: string;
  /** Overrides of `simulator.json` delays, ms. */
  delays?: Partial<SimulatorDelays>;
  /** The simulator's password and the passwords of the VNFM and VIM files are registered here, to be masked. */
  secrets: SecretRegistry;
}

/** Standalone mode running. `stop()` stops the simulator and is idempotent. */
export interface RunningStandalone {
  /** NSLCM and catalog answered locally; give it to the ESC runtime, the ESC locator and the Notify outbox. */
  nslcm: LocalNslcm;
  /**
   * GET /standalone/notifications and POST /standalone/esc-simulator/kill-vm; mount below `/api/{vnfmtype}/v1`
   * (StartOptions.extraRouters).
   */
  router: Router;
  simulatorPort: number;
  /** known_hosts holding exactly the simulator's host key; connect with strict host key checking `yes`. */
  knownHostsPath: string;
  /** VNFM ids served (from vnfms.json). */
  vnfmIds: string[];
  stop(): Promise<void>;
}

/** Starting standalone mode failed (simulator port taken, bad configuration…). */
export class StandaloneStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StandaloneStartError';
  }
}

/**
 * Standalone mode (no MSB): starts the ESC simulator in-process on 127.0.0.1:ESC_SIMULATOR_PORT with
 * a fresh random password (handed to the VNFM entry, never logged) and a host key kept in the data
 * directory, pins that key in a known_hosts file of its own, and answers NSLCM's part from local files.
 */
export async function startStandalone(opts: StandaloneOptions): Promise<RunningStandalone> {
  const configDir = opts.configDir ?? DEFAULT_STANDALONE_DIR;
  const dataDir = opts.dataDir ?? defaultDataDir(opts.config.storePath);
  const settings = loadSimulatorSettings(configDir);
  const password = randomBytes(24).toString('base64url');
  opts.secrets.add(password);
  const sim = await launchSimulator(opts, settings.userName, password, dataDir, { ...settings.delaysMs, ...opts.delays });
  try {
    const standalone = loadStandaloneConfig(configDir, {
      ESC_SIMULATOR_HOST: SIMULATOR_HOST,
      ESC_SIMULATOR_PORT: String(sim.port),
      ESC_SIMULATOR_PASSWORD: password,
    });
    for (const record of [...standalone.vnfms, ...standalone.vims]) {
      opts.secrets.add(record.password);
      opts.secrets.addUrlCredentials(record.url);
    }
    const knownHostsPath = pinHostKey(dataDir, sim);
    const nslcm = new LocalNslcm({
      config: standalone,
      store: new StandaloneStore(opts.db),
      dialect: opts.config.notifyEnumDialect,
      log: opts.log,
    });
    const vnfmIds = standalone.vnfms.map((v) => v.vnfmId);
    opts.log.info(
      `standalone mode: ESC is simulated in-process on ${SIMULATOR_HOST}:${sim.port}; NSLCM, catalog and grants are local files; ` +
        `Notify messages are listed at /api/${opts.config.vnfmType}/v1${NOTIFICATIONS_PATH}`,
      { mode: 'standalone', simulator: `${SIMULATOR_HOST}:${sim.port}`, hostKey: sim.hostKeyFingerprint, vnfmIds, configDir },
    );
    let stopping: Promise<void> | undefined;
    const router = Router({ mergeParams: true });
    router.use(notificationsRouter(nslcm), escSimulatorRouter(sim));
    return {
      nslcm,
      router,
      simulatorPort: sim.port,
      knownHostsPath,
      vnfmIds,
      stop: () => (stopping ??= sim.stop()),
    };
  } catch (err) {
    await sim.stop();
    throw err;
  }
}

async function launchSimulator(
  opts: StandaloneOptions,
  username: string,
  password: string,
  dataDir: string,
  delays: Partial<SimulatorDelays>,
): Promise<RunningSimulator> {
  const port = opts.config.escSimulatorPort;
  try {
    return await startSimulator({
      host: SIMULATOR_HOST,
      port,
      users: [{ username, password }],
      dataDir: path.join(dataDir, 'esc-simulator'),
      delays,
      log: opts.log.child({ component: 'esc-simulator' }),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the port is in use (set ESC_SIMULATOR_PORT to a free one)' : (err as Error).message;
    throw new StandaloneStartError(`cannot start the ESC simulator on ${SIMULATOR_HOST}:${port}: ${why}`, { cause: err });
  }
}

/** Writes a known_hosts file with the simulator's key only (rewritten on each start). */
function pinHostKey(dataDir: string, sim: RunningSimulator): string {
  const file = path.join(dataDir, 'standalone_known_hosts');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${knownHostsName(sim.host, sim.port)} ${sim.hostPublicKey}\n`, { mode: 0o600 });
  return file;
}

function defaultDataDir(storePath: string): string {
  return storePath === ':memory:' ? path.resolve('data') : path.dirname(path.resolve(storePath));
}
