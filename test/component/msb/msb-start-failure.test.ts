import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { silentLog } from '../../../src/logging/log';
import { startService } from '../../../src/main';
import { createMetrics } from '../../../src/metrics';
import { AdvertiseAddressError } from '../../../src/msb';
import * as registration from '../../../src/wiring/msb-registration';
import { freePort } from '../../support/free-port';

jest.setTimeout(30_000);

describe('a service whose MSB registration cannot start', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msb-start-failure-'));
  });

  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when registration throws after the server listens, then startService rejects and the public port is free again', async () => {
    jest.spyOn(registration, 'startMsbRegistration').mockImplementation(() => {
      throw new AdvertiseAddressError(['lo']);
    });
    const port = await freePort();

    const started = startService({
      config: { port, host: '127.0.0.1', storePath: path.join(dir, 'driver.db'), msbUrl: 'http://127.0.0.1:9', msbRegister: true },
      southbound: {} as never,
      log: silentLog,
      metrics: createMetrics({ collectDefaults: false }),
    });

    await expect(started).rejects.toBeInstanceOf(AdvertiseAddressError);
    const again = http.createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });
});
