import { getJson } from '../../support/http-service';
import { awaitNotify, buildFwLbInstantiate, notifiesOf, runOperation, startEscRig, vmIdsOf, type EscRig } from './esc-service-harness';

const vmIdsIn = (rig: EscRig): string[] => (rig.sim.snapshot().deployments[0]?.vms ?? []).map((v) => v.vmId).sort();

describe('the whole ESC lifecycle through the service, polled as NSLCM polls', () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('when a VNF is instantiated, scaled out 2, in 1, healed, stopped, started and terminated, then every job finishes and each Notify names exactly the VMs ESC changed', async () => {
    rig = await startEscRig();
    const { base, stub, sim } = rig;

    const inst = await runOperation(base, '/vnfs', buildFwLbInstantiate());
    expect(inst.last).toMatchObject({ status: 'finished', progress: 100 });
    const vnfUrl = `/vnfs/${inst.vnfInstanceId}`;
    const initial = vmIdsIn(rig);
    expect(initial).toHaveLength(3);
    expect(vmIdsOf(await awaitNotify(stub, inst.jobId, 'RESULT'), 'ADDED')).toEqual(initial);
    expect(notifiesOf(stub, inst.jobId, 'START')).toHaveLength(1);
    expect((await getJson(`${base}${vnfUrl}`)).body.vnfInfo.vnfStatus).toBe('ACTIVE');

    const out = await runOperation(base, `${vnfUrl}/scale`, {
      type: 'SCALE_OUT',
      aspectId: 'vdu_fw',
      numberOfSteps: '2',
      additionalParam: {},
    });
    expect(out.last.status).toBe('finished');
    const afterOut = vmIdsIn(rig);
    const added = afterOut.filter((id) => !initial.includes(id));
    expect(added).toHaveLength(2);
    expect(vmIdsOf(await awaitNotify(stub, out.jobId, 'RESULT'), 'ADDED')).toEqual(added.sort());

    const scaleIn = await runOperation(base, `${vnfUrl}/scale`, {
      type: 'SCALE_IN',
      aspectId: 'vdu_fw',
      numberOfSteps: 1,
      additionalParam: {},
    });
    expect(scaleIn.last.status).toBe('finished');
    const afterIn = vmIdsIn(rig);
    const removed = afterOut.filter((id) => !afterIn.includes(id));
    expect(removed).toHaveLength(1);
    expect(vmIdsOf(await awaitNotify(stub, scaleIn.jobId, 'RESULT'), 'REMOVED')).toEqual(removed);

    const target = sim.snapshot().deployments[0].vms.find((v) => v.vmGroup.includes('fw'))!;
    const heal = await runOperation(base, `${vnfUrl}/heal`, {
      action: 'vmReset',
      affectedvm: { vmid: target.vmId, vduid: 'vdu_fw', vmname: target.name },
    });
    expect(heal.last.status).toBe('finished');
    expect(vmIdsOf(await awaitNotify(stub, heal.jobId, 'RESULT'), 'MODIFIED')).toEqual([target.vmId]);
    expect(vmIdsIn(rig)).toEqual(afterIn);

    const stop = await runOperation(base, `${vnfUrl}/operate`, {
      vnfInstanceId: inst.vnfInstanceId,
      changeStateTo: 'STOPPED',
      stopType: 'GRACEFUL',
      gracefulStopTimeout: 0,
    });
    expect(stop.last.status).toBe('finished');
    expect(sim.snapshot().deployments[0].state).toBe('SERVICE_STOPPED_STATE');
    const start = await runOperation(base, `${vnfUrl}/operate`, {
      vnfInstanceId: inst.vnfInstanceId,
      changeStateTo: 'STARTED',
      stopType: 'GRACEFUL',
      gracefulStopTimeout: 0,
    });
    expect(start.last.status).toBe('finished');
    expect(sim.snapshot().deployments[0].state).toBe('SERVICE_ACTIVE_STATE');
    expect((await getJson(`${base}${vnfUrl}`)).body.vnfInfo.vnfStatus).toBe('ACTIVE');

    const term = await runOperation(base, `${vnfUrl}/terminate`, { terminationType: 'graceful', gracefulTerminationTimeout: '5' });
    expect(term.last.status).toBe('finished');
    expect(sim.snapshot().deployments).toHaveLength(0);
    expect(vmIdsOf(await awaitNotify(stub, term.jobId, 'RESULT'), 'REMOVED')).toEqual(afterIn);

    const results = stub
      .acceptedNotifies()
      .filter((n) => n.body.status === 'RESULT')
      .map((n) => n.body.jobId);
    expect(new Set(results).size).toBe(results.length);
    expect(stub.calls.filter((c) => c.path.endsWith('/Notify') && c.status !== 201)).toEqual([]);
  }, 60_000);
});
