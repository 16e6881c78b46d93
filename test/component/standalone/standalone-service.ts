import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildConfig } from '../../../src/config/config-loader';
import type { ServiceConfig } from '../../../src/config/config-schema';
import { EscConnectionPool } from '../../../src/esc/esc-connection-pool';
import type { EscEventView } from '../../../src/esc/esc-event-view';
import { DEFAULT_ESC_RUNTIME_SETTINGS } from '../../../src/esc/esc-runtime-settings';
import { EscSouthbound } from '../../../src/esc/esc-southbound';
import { NetconfEscConnector } from '../../../src/esc/netconf-esc-connector';
import { silentLog, type Log } from '../../../src/logging/log';
import { startService, type RunningService } from '../../../src/main';
import { EscLocator } from '../../../src/nslcm/esc-locator';
import { NotifyOutbox } from '../../../src/nslcm/notify-outbox';
import { openDatabase } from '../../../src/store/database';
import { startStandalone, type RunningStandalone } from '../../../src/standalone/standalone-mode';

/** A driver in standalone mode: the service, the in-process simulator and a temporary data directory. */
export interface StandaloneService {
  service: RunningService;
  standalone: RunningStandalone;
  dir: string;
  stop(): Promise<void>;
}

/** Fast but non-zero simulator delays, so that jobs show several progress steps. */
export const TEST_DELAYS = { tenant: 20, network: 20, vmDeployed: 40, vmAlive: 60, vmUndeployed: 30, vmAction: 40, recovery: 40, service: 20 };

/**
 * Builds the service the way the composition root wires standalone mode: LocalNslcm feeds the ESC
 * locator, the ESC runtime and the Notify outbox; the simulator's pinned key is checked strictly.
 * Everything listens on 127.0.0.1 with port 0.
 */
export async function startStandaloneService(log: Log = silentLog): Promise<StandaloneService> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standalone-'));
  const config: ServiceConfig = { ...buildConfig(), port: 0, host: '127.0.0.1', escSimulatorPort: 0, storePath: path.join(dir, 'driver.db') };
  const db = openDatabase(config.storePath);
  const standalone = await startStandalone({ config, log, db, dataDir: dir, delays: TEST_DELAYS });
  const outbox = new NotifyOutbox({ db, sender: standalone.nslcm, dialect: config.notifyEnumDialect, log, initialBackoffMs: 50, idlePollMs: 100, stopTimeoutMs: 500 });
  const connector = new NetconfEscConnector({
    knownHostsPath: standalone.knownHostsPath, strictHostKeyChecking: 'yes',
    connectTimeoutMs: 5000, rpcTimeoutMs: 5000, reconnectInitialMs: 100, reconnectMaxMs: 1000,
  });
  const locator = new EscLocator({ nslcm: standalone.nslcm, defaultPort: config.escNetconfPort, log });
  const pool = new EscConnectionPool<EscEventView>({ connector, locator, log });
  const settings = { ...DEFAULT_ESC_RUNTIME_SETTINGS, recheckIntervalMs: 1000, cleanupTimeoutMs: 5000 };
  const southbound = new EscSouthbound({ pool, nslcm: standalone.nslcm, outbox, settings });
  outbox.start();
  const service = await startService({ config, southbound, log, extraRouters: [standalone.router] });
  const stop = async (): Promise<void> => {
    await service.stop();
    await outbox.stop();
    await standalone.stop();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { service, standalone, dir, stop };
}
