import { parseDeadlines } from '../../../src/config/config-schema';
import type { FaultRule } from '../../../src/simulator';
import { buildVnfPackage } from '../../support/nslcm-stub';
import { getJson } from '../../support/http-service';
import { buildFwLbInstantiate, fwLbVnfdModel, runOperation, startEscRig, type EscRig, type EscRigOptions } from './esc-service-harness';

/** The two-VDU VNFD with every image reference of vdu_lb removed. */
function vnfdWithoutLbImage(): Record<string, unknown> {
  const model = fwLbVnfdModel();
  const vdus = model.vdus as Array<Record<string, unknown>>;
  const lb = vdus.find((v) => v.vdu_id === 'vdu_lb')!;
  delete lb.image_file;
  delete lb.sw_image_data;
  lb.artifacts = [];
  return model;
}

describe('failed instantiations through the service', () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  async function instantiateExpectingError(opts: EscRigOptions, arrange: (r: EscRig) => void = () => undefined) {
    rig = await startEscRig(opts);
    arrange(rig);
    const outcome = await runOperation(rig.base, '/vnfs', buildFwLbInstantiate());
    expect(outcome.last).toMatchObject({ status: 'error', progress: 255 });
    expect(outcome.last.statusDescription).toMatch(/^instantiate failed: /);
    const vnf = await getJson(`${rig.base}/vnfs/${outcome.vnfInstanceId}`);
    expect(vnf.body.vnfInfo.vnfStatus).toBe('INACTIVE');
    return { outcome, snapshot: rig.sim.snapshot(), stub: rig.stub };
  }

  it('when ESC rejects the deployment with an rpc-error, then the job ends in error quoting ESC and nothing is deployed', async () => {
    const fault: FaultRule = { kind: 'reject', match: { deployment: '*' }, message: 'quota exceeded for tenant' };
    const { outcome, snapshot } = await instantiateExpectingError({ faults: [fault] });
    expect(outcome.last.statusDescription).toMatch(/ESC rejected deploy.*quota exceeded for tenant/);
    expect(snapshot.deployments).toEqual([]);
  });

  it("when ESC reports FAILURE at VM_ALIVE, then the job ends in error with ESC's message and the deployment is undeployed", async () => {
    const fault: FaultRule = { kind: 'fail-at', step: 'VM_ALIVE', message: 'VM did not answer ping' };
    const { outcome, snapshot } = await instantiateExpectingError({ faults: [fault] });
    expect(outcome.last.statusDescription).toMatch(/VM_ALIVE.*VM did not answer ping/);
    expect(snapshot.deployments).toEqual([]);
  });

  it('when NSLCM refuses the grant with 409, then the job ends in error naming the grant and ESC is never asked to deploy', async () => {
    const { outcome, snapshot, stub } = await instantiateExpectingError({}, (r) =>
      r.stub.setGrantHandler(() => ({ status: 409, body: { error: 'no capacity left in RegionOne' } })),
    );
    expect(outcome.last.statusDescription).toMatch(/grant.*no capacity left in RegionOne/i);
    expect(stub.callsTo('/api/nslcm/v1/ns/grantvnf')).toHaveLength(1);
    expect(snapshot.deployments).toEqual([]);
  });

  it('when the VNFD gives a VDU no image, then the job ends in error naming the VDU and neither NSLCM nor ESC is asked for anything', async () => {
    const { outcome, snapshot, stub } = await instantiateExpectingError({}, (r) =>
      r.stub.packages.set('csar-fw-lb', buildVnfPackage('csar-fw-lb', vnfdWithoutLbImage())),
    );
    expect(outcome.last.statusDescription).toMatch(/VDU vdu_lb has no software image/);
    expect(stub.callsTo('/api/nslcm/v1/ns/grantvnf')).toHaveLength(0);
    expect(snapshot.deployments).toEqual([]);
    expect(snapshot.eventsSent).toBe(0);
  });

  it('when ESC never finishes the deployment, then the job ends in error before its deadline naming what it waited for, and ESC is cleaned up', async () => {
    const fault: FaultRule = { kind: 'never-finish', step: 'SERVICE_ALIVE' };
    const started = Date.now();
    const { outcome, snapshot } = await instantiateExpectingError({
      faults: [fault],
      config: { jobDeadlineSeconds: parseDeadlines('instantiate=3') },
    });
    expect(outcome.last.statusDescription).toMatch(/SERVICE_ALIVE of deployment/);
    expect(outcome.last.statusDescription).not.toMatch(/did not complete within 3 s/);
    expect(Date.now() - started).toBeLessThan(3500);
    expect(snapshot.deployments).toEqual([]);
  });
});
