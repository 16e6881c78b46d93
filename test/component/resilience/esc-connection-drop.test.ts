import { postJson, waitFor } from '../../support/http-service';
import { awaitNotify, buildFwLbInstantiate, pollLikeNslcm, startEscRig, vmIdsOf, type EscRig } from '../lifecycle/esc-service-harness';
import { historyOf } from './resilience-support';

describe('ESC connection lost during an operation', () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('when ESC drops every SSH connection after VM_DEPLOYED, then the instantiate still finishes and Notify names the deployed VMs', async () => {
    rig = await startEscRig({ delays: { vmDeployed: 50, vmAlive: 400, service: 100 } });
    const created = await postJson(`${rig.base}/vnfs`, buildFwLbInstantiate());
    expect(created.status).toBe(201);
    const jobUrl = `${rig.base}/jobs/${created.body.jobId}`;
    await waitFor(async () => (await historyOf(jobUrl)).some((d) => d.includes('VM_DEPLOYED')), 5000);
    const sessionsBefore = rig.sim.snapshot().sessions;
    expect(sessionsBefore).toBeGreaterThan(0);

    rig.sim.dropConnections();
    const atDrop = await historyOf(jobUrl);
    expect(atDrop.some((d) => d.endsWith('finished'))).toBe(false);

    const outcome = await pollLikeNslcm(jobUrl, { timeoutMs: 15_000 });
    expect(outcome.last).toMatchObject({ status: 'finished', progress: 100 });
    const vms = rig.sim
      .snapshot()
      .deployments[0].vms.map((v) => v.vmId)
      .sort();
    expect(vms).toHaveLength(3);
    expect(vmIdsOf(await awaitNotify(rig.stub, created.body.jobId, 'RESULT'), 'ADDED')).toEqual(vms);
    expect(rig.sim.snapshot().sessions).toBeGreaterThan(0);
  }, 30_000);
});
