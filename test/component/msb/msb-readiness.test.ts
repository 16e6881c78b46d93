import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLog } from '../../../src/logging/log';
import { startService, type RunningService } from '../../../src/main';
import { createMetrics } from '../../../src/metrics';
import { FakeMsb } from '../../support/fake-msb';

const HEALTH = '/api/ciscovnfmdriver/v1/health';

describe('readiness follows the MSB registration (service built by the composition root)', () => {
  let msb: FakeMsb;
  let dir: string;
  let service: RunningService | undefined;

  beforeEach(async () => {
    msb = await FakeMsb.start({ startDown: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msb-ready-'));
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await msb.down();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(msbRegister: boolean): Promise<RunningService> {
    return startService({
      config: {
        port: 0,
        host: '127.0.0.1',
        storePath: path.join(dir, 'driver.db'),
        msbUrl: msb.url,
        msbRegister,
        serviceIp: '127.0.0.1',
        msbRetryInitialMs: 50,
        msbRetryMaxMs: 200,
        msbCheckIntervalMs: 100,
        httpTimeoutMs: 1000,
      },
      // No ESC is needed to follow the registration.
      southbound: {
        instantiate: async () => undefined,
        terminate: async () => undefined,
        scale: async () => undefined,
        heal: async () => undefined,
        operate: async () => undefined,
        query: async () => ({}),
      } as never,
      log: silentLog,
      metrics: createMetrics({ collectDefaults: false }),
    });
  }

  it('when MSB is down at start, then ?ready answers 503 until MSB comes up and accepts the bound port, while plain health stays 200', async () => {
    service = await start(true);

    const before = await fetch(`${service.url}${HEALTH}?ready`);
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({ status: 'starting' });
    expect((await fetch(`${service.url}${HEALTH}`)).status).toBe(200);

    await msb.up();
    await msb.waitFor(() => msb.services.has('ciscovnfmdriver'), 5000, 'registration');
    const after = await fetch(`${service.url}${HEALTH}?ready`);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();

    expect(after.status).toBe(200);
    expect(msb.callsOf('POST')[0]?.body).toMatchObject({
      serviceName: 'ciscovnfmdriver',
      version: 'v1',
      url: '/api/ciscovnfmdriver/v1',
      protocol: 'REST',
      visualRange: '1',
      nodes: [{ ip: '127.0.0.1', port: String(service.port) }],
    });
    expect(metrics).toMatch(/^msb_registered 1$/m);
  }, 20_000);

  it('when the service stops, then it deregisters before it stops answering', async () => {
    await msb.up();
    service = await start(true);
    await msb.waitFor(() => msb.services.has('ciscovnfmdriver'), 5000, 'registration');
    const port = service.port;

    await service.stop();
    service = undefined;

    expect(msb.callsOf('DELETE').map((c) => c.path)).toEqual([
      `/api/microservices/v1/services/ciscovnfmdriver/version/v1/nodes/127.0.0.1/${port}`,
    ]);
    expect(msb.services.size).toBe(0);
  }, 20_000);

  it('when MSB_REGISTER is off, then ?ready is 200 at once and MSB gets no call', async () => {
    await msb.up();
    service = await start(false);

    expect((await fetch(`${service.url}${HEALTH}?ready`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(msb.callsOf('POST')).toHaveLength(0);
    expect(service.msb).toBeUndefined();
  }, 20_000);
});
