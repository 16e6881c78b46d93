import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST_MAIN, killIfRunning, logLines, spawnService, type ChildService } from '../../support/http-child-process';
import { exposureProblems } from '../../support/prometheus-text';

const BASE = '/api/ciscovnfmdriver/v1';

describe('the built service without MSB_URL (what npm start runs)', () => {
  let dir: string;
  let svc: ChildService | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standalone-process-'));
  });

  afterEach(async () => {
    await killIfRunning(svc);
    svc = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when started, then it says standalone mode, serves health, docs and metrics, and stops cleanly on SIGTERM', async () => {
    svc = await spawnService([DIST_MAIN], {
      PORT: '0',
      HOST: '127.0.0.1',
      ESC_SIMULATOR_PORT: '0',
      STORE_PATH: path.join(dir, 'driver.db'),
      LOG_LEVEL: 'info',
    });

    const lines = logLines(svc);
    const started = lines.find((l) => l.message === 'service started');
    expect(started).toMatchObject({ mode: 'standalone', msbRegistration: 'off', ves: 'on' });
    expect(lines.some((l) => String(l.message).startsWith('standalone mode: VES events go to a local VES sink at http://127.0.0.1:'))).toBe(
      true,
    );
    expect(lines.some((l) => String(l.message).startsWith('standalone mode: ESC is simulated in-process on 127.0.0.1:'))).toBe(true);
    expect(svc.stdout()).not.toMatch(/"password"\s*:\s*"[^*]/i);

    const ready = await fetch(`${svc.url}${BASE}/health?ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'active' });
    const docs = await fetch(`${svc.url}${BASE}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui-bundle.js');
    const metrics = await fetch(`${svc.url}/metrics`);
    const text = await metrics.text();
    expect(exposureProblems(text)).toEqual([]);
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
    expect(text).toMatch(/^msb_registered 0$/m);
    expect(fs.existsSync(path.join(dir, 'standalone_known_hosts'))).toBe(true);
    const ves = await fetch(`${svc.url}${BASE}/standalone/ves-events`);
    expect(ves.status).toBe(200);
    expect(await ves.json()).toEqual({ events: [] });

    svc.child.kill('SIGTERM');
    const exit = await svc.exited;

    expect(exit.code).toBe(0);
    expect(svc.stdout()).toContain('"service stopped"');
    // Every connection to the store was closed in turn, the last one folding the write-ahead log into the file.
    expect(fs.existsSync(path.join(dir, 'driver.db'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'driver.db-wal'))).toBe(false);
  }, 30_000);

  it('when the simulator port is taken, then it exits with code 1 naming ESC_SIMULATOR_PORT', async () => {
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as import('node:net').AddressInfo).port;
    try {
      const start = spawnService(
        [DIST_MAIN],
        {
          PORT: '0',
          HOST: '127.0.0.1',
          ESC_SIMULATOR_PORT: String(port),
          STORE_PATH: path.join(dir, 'driver.db'),
        },
        10_000,
      );
      await expect(start).rejects.toThrow(/exited with 1/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 20_000);
});
