import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildConfig } from '../../../src/config/config-loader';
import type { Log } from '../../../src/logging/log';
import { SecretRegistry } from '../../../src/logging/secret-registry';
import { openDatabase, type Db } from '../../../src/store/database';
import { startStandalone } from '../../../src/standalone/standalone-mode';

function buildRecordingLog(lines: Array<{ message: string; meta?: Record<string, unknown> }>): Log {
  const log: Log = {
    debug: () => undefined,
    info: (message, meta) => lines.push({ message, meta }),
    warn: (message, meta) => lines.push({ message, meta }),
    error: (message, meta) => lines.push({ message, meta }),
    child: () => log,
  };
  return log;
}

describe('startStandalone', () => {
  let dir: string;
  let db: Db;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standalone-mode-'));
    db = openDatabase(':memory:');
  });

  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when started, then it logs standalone mode once, pins the simulator key and keeps the key across restarts', async () => {
    const lines: Array<{ message: string; meta?: Record<string, unknown> }> = [];
    const config = { ...buildConfig(), escSimulatorPort: 0 };
    const secrets = new SecretRegistry();
    const first = await startStandalone({ config, log: buildRecordingLog(lines), db, dataDir: dir, secrets });
    const pinned = fs.readFileSync(first.knownHostsPath, 'utf8');
    await first.stop();
    const again = await startStandalone({ config, log: buildRecordingLog([]), db, dataDir: dir, secrets: new SecretRegistry() });
    await again.stop();

    const banner = lines.filter((l) => l.message.startsWith('standalone mode: ESC is simulated in-process on 127.0.0.1:'));
    expect(banner).toHaveLength(1);
    expect(banner[0].message).toContain(`127.0.0.1:${first.simulatorPort}`);
    expect(pinned).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${first.simulatorPort} ssh-ed25519 \\S+\\n$`));
    expect(fs.readFileSync(again.knownHostsPath, 'utf8').split(' ')[2]).toBe(pinned.split(' ')[2]);
    const info = await first.nslcm.getVnfmInfo(first.vnfmIds[0]);
    expect(info.url).toBe(`ssh://127.0.0.1:${first.simulatorPort}`);
    expect(JSON.stringify(lines)).not.toContain(info.password);
    expect(secrets.redact(`password ${info.password}`)).toBe('password ***');
  });

  it('when the simulator port is taken, then starting fails naming ESC_SIMULATOR_PORT', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(
        startStandalone({
          config: { ...buildConfig(), escSimulatorPort: port },
          log: buildRecordingLog([]),
          db,
          dataDir: dir,
          secrets: new SecretRegistry(),
        }),
      ).rejects.toThrow(`cannot start the ESC simulator on 127.0.0.1:${port}: the port is in use (set ESC_SIMULATOR_PORT to a free one)`);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});
