import { waitFor } from '../../support/waiting';
import { buildFwLbInstantiate, pollLikeNslcm } from '../lifecycle/esc-service-harness';
import { startReplicaRig, type ReplicaRig } from './replica-rig';

/**
 * Two replicas of the built driver (`node dist/main.js`; run `npm run build` first) on one PostgreSQL database, with
 * job leases of 2 s; ESC takes a few seconds per deployment, so that faults land in the middle of one.
 */
const DELAYS = { tenant: 200, network: 200, vmDeployed: 1500, vmAlive: 1500, vmUndeployed: 500 };
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The JSON lines of a log that name `jobId`, as `level message`. */
function linesAbout(log: string, jobId: string): string[] {
  return log
    .split('\n')
    .filter((line) => line.includes(jobId))
    .map((line) => JSON.parse(line) as { level: string; message: string })
    .map((l) => `${l.level} ${l.message}`);
}

/** Instantiates through `replicaId` and waits until ESC is deploying it: the job is owned by that replica and not done. */
async function instantiateMidDeploy(rig: ReplicaRig, replicaId: string, name: string): Promise<{ jobId: string; vnfInstanceId: string }> {
  const { jobId, vnfInstanceId } = await rig.post(replicaId, '/vnfs', buildFwLbInstantiate({ vnfInstanceName: name }));
  await waitFor(() => rig.sim.snapshot().deployments.length === 1, 15_000, { what: 'ESC to be deploying', pollMs: 20 });
  expect(await rig.ownerOf(jobId)).toEqual({ owner: replicaId, epoch: 1, status: 'processing' });
  return { jobId, vnfInstanceId: vnfInstanceId! };
}

describe('two replicas on PostgreSQL: a dead or frozen replica loses no job and runs none twice', () => {
  let rig: ReplicaRig | undefined;

  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('when the owner of an instantiate is killed mid-deploy, then the other replica finishes it and NSLCM is told START and RESULT once each', async () => {
    rig = await startReplicaRig({ replicas: 2, delays: DELAYS });
    const { jobId } = await instantiateMidDeploy(rig, 'replica-1', 'killed_owner');

    await rig.fleet.kill('replica-1');
    const outcome = await pollLikeNslcm(`${rig.base('replica-2')}/jobs/${jobId}`, { timeoutMs: 40_000, intervalMs: 200 });

    expect(outcome.last.status).toBe('finished');
    expect(await rig.ownerOf(jobId)).toMatchObject({ owner: 'replica-2', epoch: 2 });
    await waitFor(() => rig!.notifiesOf(jobId).includes('RESULT Instantiate'), 10_000, { what: 'the RESULT Notify' });
    await pause(2000);
    expect(rig.notifiesOf(jobId)).toEqual(['START Instantiate', 'RESULT Instantiate']);
    expect(rig.sim.snapshot().deployments).toHaveLength(1);
    const writers = (await rig.historyOf(jobId)).map((e) => `${e.writtenBy}@${e.epoch}`);
    expect(writers[0]).toBe('replica-1@1');
    expect(writers.at(-1)).toBe('replica-2@2');
    expect(writers.slice(writers.indexOf('replica-2@2'))).not.toContain('replica-1@1');
  }, 120_000);

  it('when the owner is frozen past its lease, then the other replica takes the job over, and once thawed the frozen one writes nothing to it and logs why', async () => {
    rig = await startReplicaRig({ replicas: 2, delays: DELAYS });
    const { jobId } = await instantiateMidDeploy(rig, 'replica-1', 'frozen_owner');

    await rig.fleet.freeze('replica-1');
    await waitFor(async () => (await rig!.ownerOf(jobId)).owner === 'replica-2', 15_000, { what: 'replica-2 to own the job', pollMs: 100 });
    const outcome = await pollLikeNslcm(`${rig.base('replica-2')}/jobs/${jobId}`, { timeoutMs: 40_000, intervalMs: 200 });
    const historyBefore = await rig.historyOf(jobId);
    rig.fleet.thaw('replica-1');
    const stopped = /^warn (job stopped here: this replica no longer owns it|job run ended without writing|job outcome not written)/;
    await waitFor(() => linesAbout(rig!.fleet.logOf('replica-1'), jobId).some((l) => stopped.test(l)), 15_000, {
      what: 'replica-1 to log that it no longer owns the job',
      pollMs: 100,
    });
    await pause(2000);

    expect(outcome.last.status).toBe('finished');
    expect(await rig.historyOf(jobId)).toEqual(historyBefore);
    expect(historyBefore.filter((e) => e.writtenBy === 'replica-1').every((e) => e.epoch === 1)).toBe(true);
    expect(historyBefore.at(-1)).toMatchObject({ status: 'finished', writtenBy: 'replica-2', epoch: 2 });
    expect(rig.notifiesOf(jobId)).toEqual(['START Instantiate', 'RESULT Instantiate']);
    expect(rig.sim.snapshot().deployments).toHaveLength(1);
  }, 120_000);

  it('when ESC recovers a VM and both replicas hear it, then one handles it, the other leaves it unparsed, and NSLCM is told once', async () => {
    rig = await startReplicaRig({ replicas: 2, delays: { vmDeployed: 200, vmAlive: 200 }, env: { RECONCILE_INTERVAL_MS: '1000' } });
    const { jobId, vnfInstanceId } = await rig.post('replica-1', '/vnfs', buildFwLbInstantiate({ vnfInstanceName: 'recovered' }));
    expect((await pollLikeNslcm(`${rig.base('replica-1')}/jobs/${jobId}`, { timeoutMs: 30_000, intervalMs: 100 })).last.status).toBe(
      'finished',
    );
    // Both replicas subscribed to the ESC's events (a session counts once its subscription is made, not at connect).
    await waitFor(() => rig!.sim.snapshot().subscribers === 2, 10_000, { what: 'both replicas subscribed to ESC' });
    const escInitiated = (): string[] =>
      rig!.stub
        .acceptedNotifies()
        .filter((n) => n.path.includes(vnfInstanceId!) && n.body.jobId !== jobId)
        .map((n) => `${String(n.body.status)} ${String(n.body.operation)}`);
    const victim = rig.sim.snapshot().deployments[0].vms[0];

    rig.sim.killVm(victim.vmId);
    await waitFor(() => escInitiated().length > 0, 20_000, { what: 'the Heal Notify' });
    await pause(3000);

    expect(escInitiated()).toEqual(['RESULT Heal']);
    // Each replica's metrics carry its REPLICA_ID, so that their series stay apart.
    const skipped: number[] = [];
    for (const id of ['replica-1', 'replica-2']) {
      const text = await (await fetch(`${new URL(rig.base(id)).origin}/metrics`)).text();
      expect(text).toMatch(new RegExp(`^msb_registered\\{replica="${id}"\\} 0$`, 'm'));
      expect(text).toMatch(new RegExp(`^process_cpu_seconds_total\\{replica="${id}"\\} `, 'm'));
      skipped.push(Number(/^netconf_notifications_skipped_total\{[^}]*\} (\d+)$/m.exec(text)?.[1] ?? 0));
    }
    // The recovery's escEvents (no job waits on them once the instantiate ended) are left unparsed by exactly one.
    expect(skipped.filter((n) => n > 0)).toHaveLength(1);
  }, 120_000);

  it('when the replica responsible for the ESC is killed, then the other takes over its ESC-initiated changes and NSLCM is told of a recovery once', async () => {
    rig = await startReplicaRig({ replicas: 2, delays: { vmDeployed: 200, vmAlive: 200 }, env: { RECONCILE_INTERVAL_MS: '1000' } });
    const { jobId, vnfInstanceId } = await rig.post('replica-1', '/vnfs', buildFwLbInstantiate({ vnfInstanceName: 'handed_over' }));
    expect((await pollLikeNslcm(`${rig.base('replica-1')}/jobs/${jobId}`, { timeoutMs: 30_000, intervalMs: 100 })).last.status).toBe(
      'finished',
    );
    // replica-1 opened the ESC's channel first (for its job), so it is the one responsible for the ESC.
    await waitFor(() => rig!.sim.snapshot().subscribers === 2, 10_000, { what: 'both replicas subscribed to ESC' });
    await rig.fleet.kill('replica-1');
    await waitFor(() => rig!.sim.snapshot().sessions === 1, 10_000, { what: 'the killed replica to be gone from ESC' });
    // replica-2 takes the lock on its next try (every RECONCILE_INTERVAL_MS) and reconciles: it reads ESC.
    await waitFor(() => rig!.sim.snapshot().sessions >= 2, 10_000, { what: 'replica-2 to reconcile the ESC' });

    rig.sim.killVm(rig.sim.snapshot().deployments[0].vms[0].vmId);
    const escInitiated = (): string[] =>
      rig!.stub
        .acceptedNotifies()
        .filter((n) => n.path.includes(vnfInstanceId!) && n.body.jobId !== jobId)
        .map((n) => `${String(n.body.status)} ${String(n.body.operation)}`);
    await waitFor(() => escInitiated().length > 0, 20_000, { what: 'the Heal Notify' });
    await pause(2000);
    expect(escInitiated()).toEqual(['RESULT Heal']);
  }, 120_000);
});
