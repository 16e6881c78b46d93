import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLog, type Log } from '../../../src/logging/log';
import { startService, type RunningService } from '../../../src/main';
import { createMetrics } from '../../../src/metrics';
import { standaloneSouthbound } from '../../../src/wiring/southbound-setup';
import type { VesFactory } from '../../../src/wiring/ves-setup';

/** A driver in standalone mode, built by the composition root, and its temporary data directory. */
export interface StandaloneService {
  service: RunningService;
  dir: string;
  stop(): Promise<void>;
}

/** Fast but non-zero simulator delays, so that jobs show several progress steps. */
export const TEST_DELAYS = {
  tenant: 20,
  network: 20,
  vmDeployed: 40,
  vmAlive: 60,
  vmUndeployed: 30,
  vmAction: 40,
  recovery: 40,
  service: 20,
};

/**
 * Starts the service exactly as `npm start` does without MSB_URL (standalone southbound: in-process
 * simulator, local NSLCM files, the real ESC driver with the simulator's key pinned), with shorter
 * retry and recheck times. Everything listens on 127.0.0.1 with port 0.
 */
export async function startStandaloneService(
  log: Log = silentLog,
  opts: { dir?: string; keepDir?: boolean; ves?: VesFactory } = {},
): Promise<StandaloneService> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'standalone-'));
  const service = await startService({
    config: { port: 0, host: '127.0.0.1', escSimulatorPort: 0, storePath: path.join(dir, 'driver.db') },
    log,
    metrics: createMetrics({ collectDefaults: false }),
    ves: opts.ves,
    southboundFactory: standaloneSouthbound({
      dataDir: dir,
      delays: TEST_DELAYS,
      tuning: {
        runtime: { recheckIntervalMs: 1000, cleanupTimeoutMs: 5000 },
        reconnectInitialMs: 100,
        reconnectMaxMs: 1000,
        outbox: { initialBackoffMs: 50, idlePollMs: 100, stopTimeoutMs: 500 },
      },
    }),
  });
  const stop = async (): Promise<void> => {
    await service.stop();
    if (!opts.keepDir) fs.rmSync(dir, { recursive: true, force: true });
  };
  return { service, dir, stop };
}
