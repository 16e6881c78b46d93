import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { STORE_PING_TIMEOUT_MS } from '../../../src/api/app';
import { SqliteDriverStore } from '../../../src/jobs/sqlite-store';
import { startService, type RunningService } from '../../../src/main';
import { startPostgresCluster } from '../../support/postgres-cluster';
import { recordingLog, type Logged } from '../../support/recording-log';

const HEALTH = '/api/ciscovnfmdriver/v1/health';

describe('health probes and the store', () => {
  let dir: string;
  let service: RunningService | undefined;
  const lines: Logged[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'health-probes-'));
    lines.length = 0;
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await service?.stop();
    service = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The service on its embedded store, or (`shared`) on a store handed to it as a shared database's would be. */
  async function start(shared: boolean): Promise<RunningService> {
    return startService({
      config: { port: 0, host: '127.0.0.1', storePath: path.join(dir, 'driver.db'), shutdownTimeoutMs: 2000 },
      ...(shared ? { store: SqliteDriverStore.open(path.join(dir, 'shared.db')) } : {}),
      log: recordingLog(lines),
    });
  }

  async function probe(svc: RunningService, query = ''): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${svc.url}${HEALTH}${query}`);
    return { status: res.status, body: await res.json() };
  }

  it('when the embedded store fails, then liveness and readiness both answer 503', async () => {
    service = await start(false);
    jest.spyOn(service.store, 'ping').mockRejectedValue(new Error('disk I/O error'));

    expect(await probe(service)).toEqual({ status: 503, body: { status: 'inactive', error: 'store unavailable' } });
    expect(await probe(service, '?ready')).toEqual({ status: 503, body: { status: 'inactive', error: 'store unavailable' } });
  });

  it('when a shared database does not answer, then readiness answers 503 while liveness stays 200, and readiness comes back with it', async () => {
    service = await start(true);
    const ping = jest.spyOn(service.store, 'ping').mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:5432'));

    expect(await probe(service)).toEqual({ status: 200, body: { status: 'active' } });
    expect(await probe(service, '?ready')).toEqual({ status: 503, body: { status: 'inactive', error: 'store unavailable' } });
    expect(lines.filter((l) => l.message === 'health check failed').map((l) => l.meta)).toEqual([
      { error: 'connect ECONNREFUSED 127.0.0.1:5432', probe: 'readiness' },
    ]);

    ping.mockRestore();
    expect(await probe(service, '?ready')).toEqual({ status: 200, body: { status: 'active' } });
  });

  it('when the store ping hangs, then readiness answers 503 after the ping timeout instead of leaving the probe without an answer', async () => {
    service = await start(true);
    jest.spyOn(service.store, 'ping').mockReturnValue(new Promise<void>(() => undefined));
    const started = Date.now();

    const answer = await probe(service, '?ready');

    expect(answer.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(STORE_PING_TIMEOUT_MS - 50);
    expect(Date.now() - started).toBeLessThan(STORE_PING_TIMEOUT_MS + 1000);
    expect(lines.find((l) => l.message === 'health check failed')?.meta).toEqual({
      error: `no answer to the store ping within ${STORE_PING_TIMEOUT_MS} ms`,
      probe: 'readiness',
    });
  }, 10_000);

  it('when the PostgreSQL server named by STORE_URL goes down, then readiness answers 503 and liveness stays 200', async () => {
    const cluster = await startPostgresCluster();
    try {
      const url = await cluster.createDatabase('health');
      service = await startService({
        config: { port: 0, host: '127.0.0.1', storeUrl: url, shutdownTimeoutMs: 2000, storeConnectTimeoutMs: 1000 },
        log: recordingLog(lines),
      });
      expect(await probe(service, '?ready')).toEqual({ status: 200, body: { status: 'active' } });

      await cluster.stop();

      expect(await probe(service, '?ready')).toEqual({ status: 503, body: { status: 'inactive', error: 'store unavailable' } });
      expect(await probe(service)).toEqual({ status: 200, body: { status: 'active' } });
    } finally {
      await cluster.stop();
    }
  }, 60_000);
});
