import { deploymentNameFor } from '../../../src/esc/mapping/deployment-naming';
import { postJson } from '../../support/http-service';
import { recordingLog, type Logged } from '../../support/recording-log';
import { awaitNotify, buildFwLbInstantiate, pollLikeNslcm, startEscRig, vmIdsOf, type EscRig } from '../lifecycle/esc-service-harness';

/** The ids of an accepted operation's answer. */
const idsOf = (res: { body: unknown }): { jobId: string; vnfInstanceId: string } => res.body as { jobId: string; vnfInstanceId: string };

describe('ESC unreachable or its link unreliable while jobs run', () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('when ESC is down for the first 20 s of an instantiate, then the job waits for it and finishes', async () => {
    rig = await startEscRig({ delays: { vmDeployed: 50, vmAlive: 50, service: 50 } });
    rig.sim.goDown(20_000);
    const started = Date.now();
    const created = await postJson(`${rig.base}/vnfs`, buildFwLbInstantiate());
    expect(created.status).toBe(201);
    const outcome = await pollLikeNslcm(`${rig.base}/jobs/${idsOf(created).jobId}`, { timeoutMs: 50_000, intervalMs: 200 });
    expect(outcome.last).toMatchObject({ status: 'finished', progress: 100 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(20_000);
    const deployed = rig.sim.snapshot().deployments;
    expect(deployed.map((d) => d.state)).toEqual(['SERVICE_ACTIVE_STATE']);
    expect(vmIdsOf(await awaitNotify(rig.stub, idsOf(created).jobId, 'RESULT'), 'ADDED')).toEqual(
      deployed[0].vms.map((v) => v.vmId).sort(),
    );
  }, 60_000);

  it('when the answer to the deploy edit-config never comes, then the job decides from opdata that ESC took it, and finishes', async () => {
    const lines: Logged[] = [];
    rig = await startEscRig({
      delays: { vmDeployed: 30, vmAlive: 30, service: 30 },
      // The reply to the first request about a deployment (the deploy) comes after the driver's RPC timeout (2 s).
      faults: [{ kind: 'delay-reply', delayMs: 4000, match: { deployment: '*' }, once: true }],
      config: { escRpcTimeoutMs: 2000 },
      log: recordingLog(lines),
    });
    const created = await postJson(`${rig.base}/vnfs`, buildFwLbInstantiate());
    const outcome = await pollLikeNslcm(`${rig.base}/jobs/${idsOf(created).jobId}`, { timeoutMs: 30_000, intervalMs: 200 });
    expect(outcome.last).toMatchObject({ status: 'finished', progress: 100 });
    expect(
      lines.some((l) => l.message === 'the answer to an edit-config was lost; deciding from opdata' && l.meta?.step === 'deploy'),
    ).toBe(true);
    const deployed = rig.sim.snapshot().deployments;
    expect(deployed.map((d) => [d.name, d.state])).toEqual([[deploymentNameFor(idsOf(created).vnfInstanceId), 'SERVICE_ACTIVE_STATE']]);
  }, 40_000);

  it('when the link drops every few messages during three deploys, then no job ends in error while ESC holds its deployment active, and every deployment left belongs to a finished VNF', async () => {
    const lines: Logged[] = [];
    rig = await startEscRig({
      delays: { vmDeployed: 30, vmAlive: 30, service: 30 },
      faults: [{ kind: 'drop-after', messages: 4 }],
      log: recordingLog(lines),
    });
    const { base } = rig;
    const created = await Promise.all(
      [1, 2, 3].map((i) => postJson(`${base}/vnfs`, buildFwLbInstantiate({ vnfInstanceName: `fw_lb_${i}` }))),
    );
    expect(created.map((c) => c.status)).toEqual([201, 201, 201]);
    const outcomes = await Promise.all(
      created.map((c) => pollLikeNslcm(`${base}/jobs/${idsOf(c).jobId}`, { timeoutMs: 90_000, intervalMs: 200 })),
    );
    rig.sim.clearFaults();
    const deployments = rig.sim.snapshot().deployments;
    const finished = new Set<string>();
    outcomes.forEach((o, i) => {
      const depname = deploymentNameFor(idsOf(created[i]).vnfInstanceId);
      const held = deployments.find((d) => d.name === depname);
      if (o.last.status === 'finished') {
        finished.add(depname);
        expect(held?.state).toBe('SERVICE_ACTIVE_STATE');
      } else {
        expect(o.last.status).toBe('error');
        expect(held?.state).not.toBe('SERVICE_ACTIVE_STATE');
        expect(o.last.statusDescription).not.toMatch(/ESC rejected/);
      }
    });
    expect(deployments.map((d) => d.name).filter((n) => !finished.has(n))).toEqual([]);
    expect(finished.size).toBeGreaterThan(0);
    expect(lines.filter((l) => /connection lost|session lost|answer .* was lost|unreachable/.test(l.message)).length).toBeGreaterThan(2);
  }, 120_000);
});
