import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLog } from '../../../src/logging/log';
import { startService, type RunningService, type StartOptions } from '../../../src/main';
import type { SouthboundContext } from '../../../src/wiring/southbound-setup';
import { scriptedSouthbound } from '../../support/http-southbound';

describe('where the VES publisher is handed over', () => {
  let dir: string;
  let svc: RunningService | undefined;
  let handed: SouthboundContext['vesPublisher'] | 'not called';

  const start = async (config: StartOptions['config'] = {}): Promise<RunningService> => {
    handed = 'not called';
    svc = await startService({
      config: { port: 0, host: '127.0.0.1', storePath: path.join(dir, 'driver.db'), ...config },
      log: silentLog,
      southboundFactory: (ctx) => {
        handed = ctx.vesPublisher;
        return Promise.resolve({ southbound: scriptedSouthbound([], 1), mode: 'custom' });
      },
    });
    return svc;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ves-wiring-'));
  });
  afterEach(async () => {
    await svc?.stop();
    svc = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when VES_URL is set, then the southbound factory gets the publisher the service returns', async () => {
    const running = await start({ vesUrl: 'http://127.0.0.1:9' });
    expect(running.ves).toBeDefined();
    expect(handed).toBe(running.ves);
  });

  it('when VES_URL is unset and no VES factory is given (ONAP mode), then there is no publisher', async () => {
    const running = await start();
    expect(running.ves).toBeUndefined();
    expect(handed).toBeUndefined();
  });
});
