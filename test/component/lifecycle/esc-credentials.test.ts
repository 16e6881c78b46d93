import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

  it('when the ESC host key is not in the known-hosts file, then the job fails naming the setting, and no text sent to NSLCM holds the file path', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'known-hosts-'));
    const knownHosts = path.join(elsewhere, 'pinned_hosts');
    fs.writeFileSync(knownHosts, '');
    try {
      rig = await startEscRig({ config: { escKnownHosts: knownHosts } });
      const outcome = await runOperation(rig.base, '/vnfs', buildFwLbInstantiate());
      expect(outcome.last.status).toBe('error');
      expect(outcome.last.statusDescription).toMatch(/host key .* is not in the known-hosts file \(ESC_KNOWN_HOSTS/);
      const sentToNslcm = JSON.stringify([outcome.seen, rig.stub.acceptedNotifies(), await rig.svc.store.history(outcome.jobId)]);
      expect(sentToNslcm).not.toContain(elsewhere);
      expect(sentToNslcm).not.toContain('pinned_hosts');
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
