import { deploymentNameFor } from '../../../src/esc/mapping/deployment-naming';
import { buildUndeployConfig } from '../../../src/esc/mapping/edit-builders';
import { writeXml } from '../../../src/xml';
import { postJson } from '../../support/http-service';
import { waitFor } from '../../support/waiting';
import { RawNetconfClient } from '../simulator/raw-netconf-client';
import { buildFwLbInstantiate, ESC_USER, pollLikeNslcm, startEscRig, type EscRig } from './esc-service-harness';

describe('a deployment ESC no longer holds', () => {
  let rig: EscRig | undefined;
  let other: RawNetconfClient | undefined;
  afterEach(async () => {
    other?.end();
    await rig?.stop();
    rig = other = undefined;
  });

  it('when another client undeploys the deployment an instantiate waits on, then the job ends in error at the next opdata check, saying so', async () => {
    rig = await startEscRig({ faults: [{ kind: 'never-finish', step: 'SERVICE_ALIVE' }] });
    const accepted = await postJson(`${rig.base}/vnfs`, buildFwLbInstantiate());
    const { jobId, vnfInstanceId } = accepted.body as { jobId: string; vnfInstanceId: string };
    const depname = deploymentNameFor(vnfInstanceId);
    await waitFor(() => rig!.sim.snapshot().deployments.some((d) => d.name === depname && d.vms.length === 3), 10_000);
    const tenant = rig.sim.snapshot().deployments.find((d) => d.name === depname)!.tenant;

    other = await RawNetconfClient.connect(rig.sim.port, { password: ESC_USER.password });
    const undeployedAt = Date.now();
    await other.request(
      `<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><edit-config><target><running/></target>` +
        `<config>${writeXml(buildUndeployConfig(tenant, depname))}</config></edit-config></rpc>`,
    );

    const outcome = await pollLikeNslcm(`${rig.base}/jobs/${jobId}`, { timeoutMs: 10_000 });
    expect(outcome.last.status).toBe('error');
    expect(outcome.last.statusDescription).toContain(`ESC no longer holds deployment ${depname}`);
    // The opdata re-check runs every second in these tests; the deadline is far away.
    expect(Date.now() - undeployedAt).toBeLessThan(5000);
  });
});
