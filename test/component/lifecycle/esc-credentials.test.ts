import { buildFwLbInstantiate, runOperation, startEscRig, VNFM_ID, type EscRig } from './esc-service-harness';

/** A second VNFM record naming the same ESC and user as VNFM_ID, with a password ESC does not accept. */
const WRONG_VNFM = 'vnfm-esc-wrong-pw';

describe('ESC sessions and the credentials of VNFM records', () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('when a VNFM record with a wrong password names an ESC another record has a session open on, then its job fails with an authentication error', async () => {
    rig = await startEscRig();
    const right = rig.stub.vnfms.get(VNFM_ID)!;
    rig.stub.vnfms.set(WRONG_VNFM, { ...right, vnfmId: WRONG_VNFM, password: 'not-the-esc-password' });
    const first = await runOperation(rig.base, '/vnfs', buildFwLbInstantiate({ vnfInstanceName: 'right_pw' }));
    expect(first.last.status).toBe('finished');

    const wrongBase = rig.base.replace(`/${VNFM_ID}`, `/${WRONG_VNFM}`);
    const second = await runOperation(wrongBase, '/vnfs', buildFwLbInstantiate({ vnfInstanceName: 'wrong_pw' }));
    expect(second.last.status).toBe('error');
    expect(second.last.statusDescription).toMatch(/authenticat/i);
    expect(rig.sim.snapshot().deployments).toHaveLength(1);

    const again = await runOperation(rig.base, `/vnfs/${first.vnfInstanceId}/operate`, { changeStateTo: 'STOPPED' });
    expect(again.last.status).toBe('finished');
  });
});
