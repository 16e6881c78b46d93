import type { FaultRule } from '../../../src/simulator';
import { getJson, postJson } from '../../support/http-service';
import { historyOf } from '../resilience/resilience-support';
import {
  FAST_TUNING,
  awaitNotify,
  buildFwLbInstantiate,
  notifiesOf,
  runOperation,
  startEscRig,
  vmIdsOf,
  type EscRig,
} from './esc-service-harness';

const SCALE_OUT_FW = { type: 'SCALE_OUT', aspectId: 'vdu_fw', numberOfSteps: 1, additionalParam: {} };

async function vnfInfoOf(r: EscRig, vnfUrl: string): Promise<Record<string, unknown>> {
  const res = await getJson(`${r.base}${vnfUrl}`);
  return (res.body as { vnfInfo: Record<string, unknown> }).vnfInfo;
}

describe('failure semantics: what ends an operation, what NSLCM is told', () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  async function instantiated(r: EscRig): Promise<{ jobId: string; vnfUrl: string }> {
    const inst = await runOperation(r.base, '/vnfs', buildFwLbInstantiate());
    expect(inst.last).toMatchObject({ status: 'finished', progress: 100 });
    return { jobId: inst.jobId, vnfUrl: `/vnfs/${inst.vnfInstanceId}` };
  }

  it('when ESC sends a VM_RECOVERY_REBOOT FAILURE during an instantiate and goes on, then the instantiate still finishes', async () => {
    const recovery: FaultRule = {
      kind: 'inject-event',
      step: 'VM_DEPLOYED',
      event: 'VM_RECOVERY_REBOOT',
      status: 'FAILURE',
      message: 'VM failed to be rebooted.',
      once: true,
    };
    rig = await startEscRig({ faults: [recovery] });
    const inst = await runOperation(rig.base, '/vnfs', buildFwLbInstantiate());
    expect(inst.last).toMatchObject({ status: 'finished', progress: 100 });
    const history = await historyOf(`${rig.base}/jobs/${inst.jobId}`);
    expect(history.some((d) => /VM_RECOVERY_REBOOT.*FAILURE/.test(d))).toBe(true);
    const deployed = rig.sim.snapshot().deployments;
    expect(deployed.map((d) => d.state)).toEqual(['SERVICE_ACTIVE_STATE']);
    expect(vmIdsOf(await awaitNotify(rig.stub, inst.jobId, 'RESULT'), 'ADDED')).toEqual(deployed[0].vms.map((v) => v.vmId).sort());
  });

  it('when ESC ends the deploy with SERVICE_ALIVE FAILURE, then the job ends in error with errorCode 31 and NSLCM gets a RESULT after its START', async () => {
    rig = await startEscRig({ faults: [{ kind: 'fail-at', step: 'SERVICE_ALIVE', message: 'no host for the VMs' }] });
    const inst = await runOperation(rig.base, '/vnfs', buildFwLbInstantiate());
    expect(inst.last).toMatchObject({ status: 'error', progress: 255, errorCode: 31 });
    expect(inst.last.statusDescription).toMatch(/SERVICE_ALIVE FAILURE.*no host for the VMs/);
    expect(notifiesOf(rig.stub, inst.jobId, 'START')).toHaveLength(1);
    const result = await awaitNotify(rig.stub, inst.jobId, 'RESULT');
    expect(result).toMatchObject({ operation: 'Instantiate', affectedVnfc: [], affectedVl: [], affectedCp: [] });
    expect(rig.sim.snapshot().deployments).toEqual([]);
  });

  it.each<[string, number, FaultRule[] | undefined]>([
    ['ESC rejects the deploy', 30, [{ kind: 'reject', match: { deployment: '*' }, message: 'quota exceeded' }]],
    ['NSLCM refuses the grant', 10, undefined],
  ])('when %s, then errorCode is %d, the integer of that failure class, and null before', async (_what, code, faults) => {
    rig = await startEscRig({ faults });
    if (!faults) rig.stub.setGrantHandler(() => ({ status: 409, body: { error: 'no capacity' } }));
    const inst = await runOperation(rig.base, '/vnfs', buildFwLbInstantiate());
    expect(inst.last).toMatchObject({ status: 'error', errorCode: code });
    expect(inst.seen.filter((d) => d.status !== 'error').every((d) => d.errorCode === null)).toBe(true);
  });

  it("when a scale-out fails at SERVICE_UPDATED, then the group's previous count is restored, the job fails and the RESULT says what ESC did", async () => {
    rig = await startEscRig();
    const { vnfUrl } = await instantiated(rig);
    const before = rig.sim
      .snapshot()
      .deployments[0].vms.map((v) => v.vmId)
      .sort();
    rig.sim.addFault({ kind: 'fail-at', step: 'SERVICE_UPDATED', message: 'flavor unavailable', once: true });
    const out = await runOperation(rig.base, `${vnfUrl}/scale`, SCALE_OUT_FW);
    expect(out.last).toMatchObject({ status: 'error', errorCode: 31 });
    expect(out.last.statusDescription).toMatch(/flavor unavailable.*group counts .*=2 restored/);
    const after = rig.sim.snapshot().deployments[0];
    expect(after.state).toBe('SERVICE_ACTIVE_STATE');
    expect(after.vms.map((v) => v.vmId).sort()).toEqual(before);
    const result = await awaitNotify(rig.stub, out.jobId, 'RESULT');
    expect(result.operation).toBe('Scaleout');
    expect(vmIdsOf(result, 'ADDED')).toEqual([]);
    expect(vmIdsOf(result, 'REMOVED')).toEqual([]);
  });

  it('when a terminated VNF is terminated again, then the answer is 409 and NSLCM is neither asked for a grant nor notified', async () => {
    rig = await startEscRig();
    const { vnfUrl } = await instantiated(rig);
    const term = await runOperation(rig.base, `${vnfUrl}/terminate`, { terminationType: 'FORCEFUL' });
    expect(term.last.status).toBe('finished');
    const grants = rig.stub.callsTo('/api/nslcm/v1/ns/grantvnf').length;
    const notifies = rig.stub.acceptedNotifies().length;
    const again = await postJson(`${rig.base}${vnfUrl}/terminate`, { terminationType: 'FORCEFUL' });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toMatch(/TERMINATED/);
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.stub.callsTo('/api/nslcm/v1/ns/grantvnf')).toHaveLength(grants);
    expect(rig.stub.acceptedNotifies()).toHaveLength(notifies);
  });

  it('when ESC ends the undeploy with SERVICE_UNDEPLOYED FAILURE but holds the deployment no more, then the terminate finishes with a warning', async () => {
    // No periodic opdata re-check: it could see the deployment gone before the event arrives, and finish without it.
    rig = await startEscRig({ tuning: { ...FAST_TUNING, runtime: { recheckIntervalMs: 0 } } });
    const { vnfUrl } = await instantiated(rig);
    rig.sim.addFault({ kind: 'fail-at', step: 'SERVICE_UNDEPLOYED', message: 'port cleanup failed', once: true });
    const term = await runOperation(rig.base, `${vnfUrl}/terminate`, { terminationType: 'FORCEFUL' });
    expect(term.last).toMatchObject({ status: 'finished', progress: 100 });
    expect(term.last.statusDescription).toMatch(/warning: .*SERVICE_UNDEPLOYED FAILURE \(port cleanup failed\)/);
    expect(rig.sim.snapshot().deployments).toEqual([]);
    expect(vmIdsOf(await awaitNotify(rig.stub, term.jobId, 'RESULT'), 'REMOVED')).toHaveLength(3);
  });

  it('when a GRACEFUL terminate names no timeout, then the service is stopped and SERVICE_STOPPED awaited before the undeploy', async () => {
    rig = await startEscRig({ delays: { vmAction: 100, service: 100 } });
    const { vnfUrl } = await instantiated(rig);
    const term = await runOperation(rig.base, `${vnfUrl}/terminate`, { terminationType: 'graceful' });
    expect(term.last.status).toBe('finished');
    const history = await historyOf(`${rig.base}/jobs/${term.jobId}`);
    const stopping = history.findIndex((d) => /stopping .* gracefully \(up to 600 s\)/.test(d));
    const undeploying = history.findIndex((d) => d.startsWith('undeploying'));
    expect(stopping).toBeGreaterThan(-1);
    expect(undeploying).toBeGreaterThan(stopping);
    expect(rig.sim.snapshot().deployments).toEqual([]);
  });

  it("when the VNF is stopped, then vnfStatus stays ACTIVE (instantiated) and escState gives ESC's operational state", async () => {
    rig = await startEscRig();
    const { vnfUrl } = await instantiated(rig);
    const stop = await runOperation(rig.base, `${vnfUrl}/operate`, { changeStateTo: 'STOPPED' });
    expect(stop.last.status).toBe('finished');
    expect(await vnfInfoOf(rig, vnfUrl)).toMatchObject({ vnfStatus: 'ACTIVE', escState: 'SERVICE_STOPPED_STATE' });
    const term = await runOperation(rig.base, `${vnfUrl}/terminate`, { terminationType: 'FORCEFUL' });
    expect(term.last.status).toBe('finished');
    const info = await vnfInfoOf(rig, vnfUrl);
    expect(info.vnfStatus).toBe('INACTIVE');
    expect(info.escState).toBeUndefined();
  });

  it('when heal names only the vduid of a VDU with one VM, then that VM is rebooted; with several VMs or none, the answer is 400', async () => {
    rig = await startEscRig();
    const { vnfUrl } = await instantiated(rig);
    const lb = rig.sim.snapshot().deployments[0].vms.filter((v) => v.vmGroup.includes('lb'));
    expect(lb).toHaveLength(1);
    const heal = await runOperation(rig.base, `${vnfUrl}/heal`, { action: 'vmReset', affectedvm: { vduid: 'vdu_lb' } });
    expect(heal.last.status).toBe('finished');
    expect(vmIdsOf(await awaitNotify(rig.stub, heal.jobId, 'RESULT'), 'MODIFIED')).toEqual([lb[0].vmId]);

    const several = await postJson(`${rig.base}${vnfUrl}/heal`, { action: 'vmReset', affectedvm: { vduid: 'vdu_fw' } });
    expect(several.status).toBe(400);
    expect(JSON.stringify(several.body)).toMatch(/affectedvm\.vduid.*vdu_fw has 2 VMs|vdu_fw has 2 VMs.*affectedvm\.vduid/);
    const none = await postJson(`${rig.base}${vnfUrl}/heal`, { action: 'vmReset', affectedvm: { vduid: 'vdu_nope' } });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body)).toMatch(/vdu_nope is not part of this VNF/);
  });

  it('when an instantiate names no VIM anywhere, then the answer is 400 naming additionalParam.vimId and no job is made', async () => {
    rig = await startEscRig();
    const body = buildFwLbInstantiate();
    const links = (body.extVirtualLink as Array<Record<string, unknown>>).map((l) => ({ ...l, vim: undefined }));
    const res = await postJson(`${rig.base}/vnfs`, {
      ...body,
      extVirtualLink: links,
      additionalParam: { ...(body.additionalParam as object), vimId: undefined },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/additionalParam\.vimId/);
    expect(rig.stub.callsTo('/api/nslcm/v1/ns/grantvnf')).toHaveLength(0);
  });
});
