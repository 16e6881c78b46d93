import fs from 'node:fs';
import path from 'node:path';
import { buildInstantiateBody, loadDemoPlan } from '../../../src/standalone/demo/demo-plan';
import { getJson } from '../../support/http-service';
import { runOperation } from '../lifecycle/esc-service-harness';
import { startStandaloneService, type StandaloneService } from './standalone-service';

const plan = loadDemoPlan(path.join(__dirname, '../../../config/standalone/demo.json'));

describe('a standalone driver restarted on its data directory', () => {
  const running: StandaloneService[] = [];
  let dir: string | undefined;
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when restarted after an instantiate, then the simulated ESC still holds the VNF (ACTIVE) and terminate undeploys it', async () => {
    const first = await startStandaloneService(undefined, { keepDir: true });
    dir = first.dir;
    const base = (s: StandaloneService): string => `${s.service.url}/api/${s.service.config.vnfmType}/v1/${plan.vnfmId}`;
    const created = await runOperation(base(first), '/vnfs', buildInstantiateBody(plan), 60_000, 50);
    expect(created.last.status).toBe('finished');
    await first.stop();

    const second = await startStandaloneService(undefined, { dir });
    running.push(second);
    const vnf = await getJson(`${base(second)}/vnfs/${created.vnfInstanceId}`);
    expect((vnf.body as { vnfInfo: { vnfStatus: string } }).vnfInfo.vnfStatus).toBe('ACTIVE');
    const terminated = await runOperation(
      base(second),
      `/vnfs/${created.vnfInstanceId}/terminate`,
      { terminationType: 'graceful', gracefulTerminationTimeout: '10' },
      60_000,
      50,
    );
    expect(terminated.last).toMatchObject({ status: 'finished' });
    expect(fs.existsSync(path.join(dir, 'esc-simulator', 'esc-state.json'))).toBe(true);
  }, 90_000);
});
