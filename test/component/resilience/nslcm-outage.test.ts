import { postJson, waitFor } from '../../support/http-service';
import {
  awaitNotify,
  buildFwLbInstantiate,
  notifiesOf,
  pollLikeNslcm,
  startEscRig,
  vmIdsOf,
  type EscRig,
} from '../lifecycle/esc-service-harness';
import { envMs, historyOf } from './resilience-support';

/** How long NSLCM stays down: 20 s as the acceptance asks (RESILIENCE_NSLCM_DOWN_MS shortens it for quick local runs). */
const DOWN_MS = envMs('RESILIENCE_NSLCM_DOWN_MS', 20_000);

describe('NSLCM unreachable while a job ends', () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it(
    `when NSLCM goes down before the instantiate ends and comes back ${DOWN_MS} ms later, then the job finishes meanwhile and the RESULT Notify arrives once NSLCM is back`,
    async () => {
      rig = await startEscRig({ delays: { vmDeployed: 50, vmAlive: 300, service: 100 } });
      const { stub, base } = rig;
      const created = await postJson(`${base}/vnfs`, buildFwLbInstantiate());
      const jobId = created.body.jobId;
      const jobUrl = `${base}/jobs/${jobId}`;
      await awaitNotify(stub, jobId, 'START');
      await waitFor(async () => (await historyOf(jobUrl)).some((d) => d.includes('VM_DEPLOYED')), 5000);

      await stub.goDown();
      const downAt = Date.now();
      const outcome = await pollLikeNslcm(jobUrl, { timeoutMs: 15_000 });
      expect(outcome.last.status).toBe('finished');
      expect((await rig.driver.outbox.find(jobId, 'RESULT'))?.state).toBe('pending');

      await new Promise((r) => setTimeout(r, Math.max(0, DOWN_MS - (Date.now() - downAt))));
      expect(notifiesOf(stub, jobId, 'RESULT')).toHaveLength(0);
      await stub.comeBack();

      const result = await awaitNotify(stub, jobId, 'RESULT', 10_000);
      const vms = rig.sim
        .snapshot()
        .deployments[0].vms.map((v) => v.vmId)
        .sort();
      expect(vmIdsOf(result, 'ADDED')).toEqual(vms);
      const row = await rig.driver.outbox.waitForDelivery(jobId, 'RESULT', 5000);
      expect(row.attempts).toBeGreaterThan(1);
      expect(notifiesOf(stub, jobId, 'RESULT')).toHaveLength(1);
    },
    DOWN_MS + 40_000,
  );
});
