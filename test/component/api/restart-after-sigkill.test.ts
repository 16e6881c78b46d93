import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DIST_MAIN,
  hangingSouthboundScript,
  killIfRunning,
  spawnService,
  storeOnlyServiceScript,
  type ChildService,
} from '../../support/http-child-process';
import { buildInstantiateRequest, getJson, postJson, waitFor } from '../../support/http-service';

describe('the built service as a child process', () => {
  let dir: string;
  const started: ChildService[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vnfm-driver-child-'));
  });
  afterEach(async () => {
    for (const s of started.splice(0)) await killIfRunning(s);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when the process is killed with SIGKILL and started again on the same store, then the job and its full history are still there', async () => {
    const env = { STORE_PATH: path.join(dir, 'driver.db'), PORT: '0', HOST: '127.0.0.1' };
    const first = await spawnService(['-e', hangingSouthboundScript()], env);
    started.push(first);
    const base = `${first.url}/api/ciscovnfmdriver/v1/vnfm-1`;
    const created = await postJson(`${base}/vnfs`, buildInstantiateRequest());
    expect(created.status).toBe(201);
    const jobUrl = `${base}/jobs/${created.body.jobId}`;
    await waitFor(async () => (await getJson(`${jobUrl}?responseId=0`)).body.responseDescriptor.responseId === '3');
    const before = (await getJson(`${jobUrl}?responseId=0`)).body;

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    // Restarted without a southbound, so that nothing moves the job on while it is read back.
    const second = await spawnService(['-e', storeOnlyServiceScript()], env);
    started.push(second);
    const after = await getJson(`${second.url}/api/ciscovnfmdriver/v1/vnfm-1/jobs/${created.body.jobId}?responseId=0`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before);
    expect(after.body.responseDescriptor.responseHistoryList.map((e: { statusDescription: string }) => e.statusDescription)).toEqual([
      'VM_DEPLOYED 1/2',
      'deployment sent',
      'instantiate accepted',
    ]);
    const vnf = await getJson(`${second.url}/api/ciscovnfmdriver/v1/vnfm-1/vnfs/${created.body.vnfInstanceId}`);
    expect(vnf.body.vnfInfo).toMatchObject({ vnfInstanceName: 'vFW_ns_1', vnfStatus: 'INACTIVE' });
  }, 30000);

  it('when an unfinished job exists at start-up with a southbound, then it is resumed with its checkpoint', async () => {
    const env = { STORE_PATH: path.join(dir, 'driver.db'), PORT: '0', HOST: '127.0.0.1' };
    const first = await spawnService(['-e', hangingSouthboundScript()], env);
    started.push(first);
    const base = `${first.url}/api/ciscovnfmdriver/v1/vnfm-1`;
    const created = await postJson(`${base}/vnfs`, buildInstantiateRequest());
    const jobUrl = (b: string) => `${b}/api/ciscovnfmdriver/v1/vnfm-1/jobs/${created.body.jobId}?responseId=3`;
    await waitFor(
      async () => (await getJson(`${base}/jobs/${created.body.jobId}?responseId=0`)).body.responseDescriptor.responseId === '3',
    );
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await spawnService(['-e', hangingSouthboundScript()], env);
    started.push(second);
    await waitFor(async () => (await getJson(jobUrl(second.url))).body.responseDescriptor.responseId === '4');
    const d = (await getJson(jobUrl(second.url))).body.responseDescriptor;
    expect(d).toMatchObject({ status: 'processing', progress: 50, statusDescription: 'resumed with {"deployment":"dep-1"}' });
  }, 30000);

  it('when SIGTERM arrives, then the service stops accepting, closes the store and exits 0', async () => {
    const svc = await spawnService([DIST_MAIN], {
      STORE_PATH: path.join(dir, 'driver.db'),
      PORT: '0',
      HOST: '127.0.0.1',
      ESC_SIMULATOR_PORT: '0',
    });
    started.push(svc);
    expect((await getJson(`${svc.url}/api/ciscovnfmdriver/v1/health`)).status).toBe(200);
    svc.child.kill('SIGTERM');
    expect((await svc.exited).code).toBe(0);
    expect(svc.stdout()).toContain('"service stopped"');
  }, 30000);

  it('when the configuration is bad, then the process exits 1 naming each bad key', async () => {
    await expect(
      spawnService([DIST_MAIN], { STORE_PATH: path.join(dir, 'd.db'), PORT: 'eighty', LOG_LEVEL: 'loud', NOTIFY_ENUM_DIALECT: 'x' }),
    ).rejects.toThrow(/exited with 1[\s\S]*PORT[\s\S]*LOG_LEVEL[\s\S]*NOTIFY_ENUM_DIALECT/);
  }, 30000);
});
