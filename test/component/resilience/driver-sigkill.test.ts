import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../src/simulator';
import { DIST_MAIN, killIfRunning, spawnService, type ChildService } from '../../support/http-child-process';
import { postJson, waitFor } from '../../support/http-service';
import { buildVnfPackage, seedDefaults, startNslcmStub, type NslcmStub } from '../../support/nslcm-stub';
import {
  ESC_USER,
  FW_LB_PACKAGE,
  VNFM_ID,
  buildFwLbInstantiate,
  fwLbVnfdModel,
  notifiesOf,
  pinSimulatorKey,
  pollLikeNslcm,
  STUB_VIM_CONNECTOR,
  vmIdsOf,
} from '../lifecycle/esc-service-harness';
import { historyOf } from './resilience-support';

/** The ids of an accepted operation's answer. */
const idsOf = (res: { body: unknown }): { jobId: string; vnfInstanceId: string } => res.body as { jobId: string; vnfInstanceId: string };

describe('the built driver killed in the middle of an operation', () => {
  let dir: string;
  let sim: RunningSimulator;
  let stub: NslcmStub;
  const children: ChildService[] = [];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esc-sigkill-'));
    sim = await startSimulator({
      port: 0,
      users: [ESC_USER],
      delays: { tenant: 100, network: 100, vmDeployed: 300, vmAlive: 400, vmUndeployed: 700, service: 200 },
      vimConnectors: [STUB_VIM_CONNECTOR],
    });
    stub = await startNslcmStub();
    seedDefaults(stub, { host: sim.host, port: sim.port });
    stub.packages.set(FW_LB_PACKAGE, buildVnfPackage(FW_LB_PACKAGE, fwLbVnfdModel()));
  });

  afterEach(async () => {
    for (const c of children.splice(0)) await killIfRunning(c);
    await stub.stop();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function env(): Record<string, string> {
    return {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      STORE_PATH: path.join(dir, 'driver.db'),
      MSB_URL: stub.url,
      ESC_KNOWN_HOSTS: pinSimulatorKey(dir, sim),
      ESC_STRICT_HOST_KEY_CHECKING: 'yes',
      ESC_CONNECT_TIMEOUT_MS: '5000',
      ESC_RPC_TIMEOUT_MS: '5000',
      HTTP_TIMEOUT_MS: '2000',
      SHUTDOWN_TIMEOUT_MS: '2000',
    };
  }

  async function spawnDriver(): Promise<ChildService> {
    const svc = await spawnService([DIST_MAIN], env());
    children.push(svc);
    return svc;
  }

  it('when SIGKILLed after VM_DEPLOYED and restarted on the same store, then the job finishes and NSLCM gets exactly one RESULT Notify', async () => {
    const first = await spawnDriver();
    const base = (svc: ChildService): string => `${svc.url}/api/ciscovnfmdriver/v1/${VNFM_ID}`;
    const created = await postJson(`${base(first)}/vnfs`, buildFwLbInstantiate());
    expect(created.status).toBe(201);
    const jobId = created.body.jobId;
    await waitFor(async () => (await historyOf(`${base(first)}/jobs/${jobId}`)).some((d) => d.includes('VM_DEPLOYED')), 10_000);

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(notifiesOf(stub, jobId, 'RESULT')).toHaveLength(0);

    const second = await spawnDriver();
    const outcome = await pollLikeNslcm(`${base(second)}/jobs/${jobId}`, { timeoutMs: 20_000 });
    expect(outcome.last).toMatchObject({ status: 'finished', progress: 100 });
    expect(second.stdout()).toContain('"job resumed"');

    await waitFor(() => notifiesOf(stub, jobId, 'RESULT').length > 0, 5000);
    await new Promise((r) => setTimeout(r, 300));
    const results = notifiesOf(stub, jobId, 'RESULT');
    expect(results).toHaveLength(1);
    const deployed = sim.snapshot().deployments;
    expect(deployed).toHaveLength(1);
    expect(vmIdsOf(results[0], 'ADDED')).toEqual(deployed[0].vms.map((v) => v.vmId).sort());
    expect(stub.callsTo('/api/nslcm/v1/ns/grantvnf')).toHaveLength(1);
    expect(first.stdout() + second.stdout()).not.toContain(ESC_USER.password);
  }, 60_000);

  it("when SIGKILLed while a terminate's undeploy is in flight and restarted, then the terminate finishes and NSLCM gets its RESULT naming the removed VMs", async () => {
    const first = await spawnDriver();
    const base = (svc: ChildService): string => `${svc.url}/api/ciscovnfmdriver/v1/${VNFM_ID}`;
    const created = await postJson(`${base(first)}/vnfs`, buildFwLbInstantiate());
    expect(created.status).toBe(201);
    const inst = await pollLikeNslcm(`${base(first)}/jobs/${idsOf(created).jobId}`, { timeoutMs: 20_000 });
    expect(inst.last.status).toBe('finished');
    const vms = sim
      .snapshot()
      .deployments[0].vms.map((v) => v.vmId)
      .sort();
    sim.setFaults([]);

    const term = await postJson(`${base(first)}/vnfs/${idsOf(created).vnfInstanceId}/terminate`, { terminationType: 'FORCEFUL' });
    expect(term.status).toBe(201);
    const jobId = idsOf(term).jobId;
    await waitFor(() => sim.snapshot().deployments[0]?.state === 'SERVICE_UNDEPLOYING_STATE', 10_000);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(notifiesOf(stub, jobId, 'RESULT')).toHaveLength(0);

    const second = await spawnDriver();
    const outcome = await pollLikeNslcm(`${base(second)}/jobs/${jobId}`, { timeoutMs: 20_000 });
    expect(outcome.last).toMatchObject({ status: 'finished', progress: 100 });
    expect(second.stdout()).toContain('"job resumed"');
    expect(sim.snapshot().deployments).toEqual([]);
    await waitFor(() => notifiesOf(stub, jobId, 'RESULT').length > 0, 5000);
    const results = notifiesOf(stub, jobId, 'RESULT');
    expect(results).toHaveLength(1);
    expect(vmIdsOf(results[0], 'REMOVED')).toEqual(vms);
  }, 60_000);
});
