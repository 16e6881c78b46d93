import { deploymentNameFor } from '../../../src/esc/mapping/deployment-naming';
import { createMetrics, type Metrics } from '../../../src/metrics';
import type { DeploymentSnapshot } from '../../../src/simulator';
import type { VnfcInfo } from '../../../src/vnfs/vnfc-inventory';
import { getJson } from '../../support/http-service';
import { rowsOf } from '../../support/nslcm-stub';
import { waitFor } from '../../support/waiting';
import { awaitNotify, buildFwLbInstantiate, runOperation, startEscRig, stopRigService, type EscRig } from './esc-service-harness';

/** The NS's own external VL, as NSLCM holds it before any VNF is instantiated on it. */
const NS_VL = { vlInstanceId: 'vl-ext-1', vldId: 'ext_vl', ownerType: 'NS' as const, ownerId: 'ns-1' };

function deploymentOf(rig: EscRig, vnfInstanceId: string): DeploymentSnapshot | undefined {
  return rig.sim.snapshot().deployments.find((d) => d.name === deploymentNameFor(vnfInstanceId));
}

/** What NSLCM's rows of the VNF must be when they are true to ESC: one VNFC and vserver per VM, one CP per NIC. */
function expectRowsMatchOpdata(rig: EscRig, vnfInstanceId: string): void {
  const dep = deploymentOf(rig, vnfInstanceId);
  const vmIds = (dep?.vms ?? []).map((v) => v.vmId).sort();
  const rows = rowsOf(rig.stub.inventory, vnfInstanceId);
  expect(rows.vmIds).toEqual(vmIds);
  expect(rows.ips).toEqual((dep?.vms ?? []).flatMap((v) => v.ipAddresses).sort());
  expect(vmIds.filter((id) => !rig.stub.inventory.aaiVservers.has(id))).toEqual([]);
  expect(vmIds.filter((id) => !rig.stub.inventory.vms.has(id))).toEqual([]);
}

function rowsMatchOpdata(rig: EscRig, vnfInstanceId: string): boolean {
  try {
    expectRowsMatchOpdata(rig, vnfInstanceId);
    return true;
  } catch {
    return false;
  }
}

/** The fields of a Notify body the tests read. */
interface NotifySeen {
  jobId?: string;
  status?: string;
  operation?: string;
  affectedVnfc?: Array<{ changeType: string; vmId: string }>;
}

/** Notify bodies of changes ESC made on its own (no job of ours) for one VNF. */
function escInitiatedNotifies(rig: EscRig, vnfInstanceId: string, jobIds: readonly string[]): NotifySeen[] {
  return rig.stub
    .acceptedNotifies()
    .filter((n) => n.path.includes(`/vnfs/${vnfInstanceId}/Notify`))
    .map((n) => n.body as NotifySeen)
    .filter((b) => !jobIds.includes(b.jobId ?? ''));
}

/** The VNFCs the query answers for a VNF. */
async function queriedVnfcs(rig: EscRig, vnfInstanceId: string): Promise<VnfcInfo[]> {
  const res = await getJson(`${rig.base}/vnfs/${vnfInstanceId}`);
  return (res.body as unknown as { vnfInfo: { vnfcs: VnfcInfo[] } }).vnfInfo.vnfcs;
}

async function instantiate(rig: EscRig, name: string): Promise<{ vnfInstanceId: string; jobId: string }> {
  const inst = await runOperation(rig.base, '/vnfs', buildFwLbInstantiate({ vnfInstanceName: name }));
  expect(inst.last.status).toBe('finished');
  await awaitNotify(rig.stub, inst.jobId, 'RESULT');
  return { vnfInstanceId: inst.vnfInstanceId!, jobId: inst.jobId };
}

const changes = (body: NotifySeen | undefined): string[] => (body?.affectedVnfc ?? []).map((v) => `${v.changeType} ${v.vmId}`);

describe("NSLCM's inventory against ESC's opdata", () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('when two VNFs share the external VL of the NS and one is terminated, then the VL and the other VNF rows are untouched', async () => {
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 } });
    rig.stub.inventory.vls.set(NS_VL.vlInstanceId, { ...NS_VL });
    const a = await instantiate(rig, 'fw_lb_a');
    const b = await instantiate(rig, 'fw_lb_b');
    expectRowsMatchOpdata(rig, a.vnfInstanceId);
    expectRowsMatchOpdata(rig, b.vnfInstanceId);
    // Every CP names the NS's VL or no VL: the VNFs created none, so NSLCM holds no VL of theirs.
    const cpVls = new Set([...rig.stub.inventory.cps.values()].map((c) => c.virtualLinkInstanceId));
    expect([...cpVls].filter((id) => id !== NS_VL.vlInstanceId && id !== '')).toEqual([]);
    expect(cpVls.has(NS_VL.vlInstanceId)).toBe(true);
    expect([...rig.stub.inventory.vls.keys()]).toEqual([NS_VL.vlInstanceId]);
    const bRowsBefore = rowsOf(rig.stub.inventory, b.vnfInstanceId);

    const term = await runOperation(rig.base, `/vnfs/${a.vnfInstanceId}/terminate`, { terminationType: 'FORCEFUL' });
    expect(term.last.status).toBe('finished');
    await awaitNotify(rig.stub, term.jobId, 'RESULT');

    expect(rig.stub.inventory.vls.get(NS_VL.vlInstanceId)).toEqual(NS_VL);
    expect(rowsOf(rig.stub.inventory, a.vnfInstanceId)).toEqual({ vmIds: [], ips: [], vls: [] });
    expect(rowsOf(rig.stub.inventory, b.vnfInstanceId)).toEqual(bRowsBefore);
    expectRowsMatchOpdata(rig, b.vnfInstanceId);
  });

  it('when ESC recovers a killed VM onto a new VM id, then one Heal Notify removes the old VNFC and adds the new, and the rows follow', async () => {
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 } });
    const { vnfInstanceId, jobId } = await instantiate(rig, 'fw_lb_1');
    const victim = deploymentOf(rig, vnfInstanceId)!.vms[0];

    rig.sim.killVm(victim.vmId);
    await waitFor(() => escInitiatedNotifies(rig!, vnfInstanceId, [jobId]).length > 0, 10_000, { what: 'the Heal Notify' });

    const replacement = deploymentOf(rig, vnfInstanceId)!.vms.find((v) => v.name === victim.name)!;
    expect(replacement.vmId).not.toBe(victim.vmId);
    const [heal, ...more] = escInitiatedNotifies(rig, vnfInstanceId, [jobId]);
    expect(more).toEqual([]);
    expect(heal).toMatchObject({ status: 'RESULT', operation: 'Heal', affectedVl: [] });
    expect(changes(heal)).toEqual([`REMOVED ${victim.vmId}`, `ADDED ${replacement.vmId}`]);
    expectRowsMatchOpdata(rig, vnfInstanceId);
    expect(rig.stub.inventory.aaiVservers.has(victim.vmId)).toBe(false);
    expect(rowsOf(rig.stub.inventory, vnfInstanceId).vmIds).not.toContain(victim.vmId);
    const vnfcs = await queriedVnfcs(rig, vnfInstanceId);
    expect(vnfcs.map((c) => c.vmId).sort()).toEqual(rowsOf(rig.stub.inventory, vnfInstanceId).vmIds);
  });

  it('when ESC fails to recover a killed VM, then the redeployed VM replaces it in NSLCM and query shows that VNFC in error, counted', async () => {
    const metrics: Metrics = createMetrics({ collectDefaults: false });
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 }, metrics });
    const { vnfInstanceId, jobId } = await instantiate(rig, 'fw_lb_1');
    const victim = deploymentOf(rig, vnfInstanceId)!.vms[0];

    // Guide "Attempts for recovery" (~4751): ESC undeploys and redeploys the VM (a new VM id) before it gives up.
    rig.sim.killVm(victim.vmId, 'failure');
    const vnfcInError = async (): Promise<VnfcInfo | undefined> =>
      (await queriedVnfcs(rig!, vnfInstanceId)).find((c) => c.vnfcState === 'ERROR');
    await waitFor(async () => (await vnfcInError()) !== undefined, 10_000, { what: 'the VNFC in error' });

    const vnfc = await vnfcInError();
    const redeployed = deploymentOf(rig, vnfInstanceId)!.vms.find((v) => v.name === victim.name)!;
    expect(redeployed.vmId).not.toBe(victim.vmId);
    expect(vnfc).toMatchObject({ vnfcInstanceId: redeployed.vmId, vmId: redeployed.vmId, vnfcState: 'ERROR' });
    expect(vnfc?.errorMessage).toContain(victim.name);
    expect(await metrics.registry.getSingleMetricAsString('vnfm_esc_initiated_failures_total')).toContain('type="VM_RECOVERY_COMPLETE"} 1');
    const told = escInitiatedNotifies(rig, vnfInstanceId, [jobId]);
    expect(told).toHaveLength(1);
    expect(told[0].affectedVnfc?.map((c) => [c.changeType, c.vmId])).toEqual([
      ['REMOVED', victim.vmId],
      ['ADDED', redeployed.vmId],
    ]);
    expectRowsMatchOpdata(rig, vnfInstanceId);
  });

  it('when ESC recovers a VM while the driver is down, then after the restart the rows match opdata within one interval through exactly one Notify', async () => {
    const intervalMs = 1500;
    rig = await startEscRig({ config: { reconcileIntervalMs: intervalMs } });
    const { vnfInstanceId, jobId } = await instantiate(rig, 'fw_lb_1');
    const victim = deploymentOf(rig, vnfInstanceId)!.vms[0];

    const restart = await stopRigService(rig);
    rig.sim.killVm(victim.vmId);
    await waitFor(
      () =>
        deploymentOf(rig!, vnfInstanceId)?.vms.some(
          (v) => v.name === victim.name && v.vmId !== victim.vmId && v.state === 'VM_ALIVE_STATE',
        ) === true,
    );
    expect(rowsMatchOpdata(rig, vnfInstanceId)).toBe(false);

    const restartedAt = Date.now();
    await restart();
    await waitFor(() => rowsMatchOpdata(rig!, vnfInstanceId), intervalMs, { what: 'the rows to match opdata' });
    expect(Date.now() - restartedAt).toBeLessThanOrEqual(intervalMs + 500);
    // Two more passes find nothing new to tell.
    await new Promise((r) => setTimeout(r, 2 * intervalMs + 200));
    const told = escInitiatedNotifies(rig, vnfInstanceId, [jobId]);
    expect(told).toHaveLength(1);
    expect(told[0].operation).toBe('Heal');
    expectRowsMatchOpdata(rig, vnfInstanceId);
  });

  it('when the driver restarts and no request follows, then it is subscribed to the ESC at once and hears a recovery without waiting for a pass', async () => {
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 } });
    const { vnfInstanceId, jobId } = await instantiate(rig, 'fw_lb_1');
    const restart = await stopRigService(rig);
    await restart();
    await waitFor(() => rig!.sim.snapshot().subscribers === 1, 5000, { what: 'the event subscription to ESC' });
    const victim = deploymentOf(rig, vnfInstanceId)!.vms[0];

    rig.sim.killVm(victim.vmId);
    await waitFor(() => escInitiatedNotifies(rig!, vnfInstanceId, [jobId]).length === 1, 5000, { what: 'the Heal Notify' });
    expect(changes(escInitiatedNotifies(rig, vnfInstanceId, [jobId])[0])[0]).toBe(`REMOVED ${victim.vmId}`);
    expectRowsMatchOpdata(rig, vnfInstanceId);
  });

  it('when ESC scales a group out and then in on its own, then a Scaleout ADDED and a Scalein REMOVED Notify keep the rows true', async () => {
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 } });
    const { vnfInstanceId, jobId } = await instantiate(rig, 'fw_lb_1');
    const dep = deploymentOf(rig, vnfInstanceId)!;
    const target = { tenant: dep.tenant, deployment: dep.name, vmGroup: dep.vms[0].vmGroup };
    const before = dep.vms.map((v) => v.vmId);

    rig.sim.elasticScale('out', target);
    await waitFor(() => escInitiatedNotifies(rig!, vnfInstanceId, [jobId]).length === 1, 10_000, { what: 'the Scaleout Notify' });
    const added = deploymentOf(rig, vnfInstanceId)!.vms.find((v) => !before.includes(v.vmId))!;
    const out = escInitiatedNotifies(rig, vnfInstanceId, [jobId])[0];
    expect(out).toMatchObject({ status: 'RESULT', operation: 'Scaleout' });
    expect(changes(out)).toEqual([`ADDED ${added.vmId}`]);
    expectRowsMatchOpdata(rig, vnfInstanceId);

    rig.sim.elasticScale('in', target);
    await waitFor(() => escInitiatedNotifies(rig!, vnfInstanceId, [jobId]).length === 2, 10_000, { what: 'the Scalein Notify' });
    const scaleIn = escInitiatedNotifies(rig, vnfInstanceId, [jobId])[1];
    expect(scaleIn).toMatchObject({ status: 'RESULT', operation: 'Scalein' });
    expect(changes(scaleIn)).toEqual([`REMOVED ${added.vmId}`]);
    expectRowsMatchOpdata(rig, vnfInstanceId);
  });

  it('when ESC fails an elastic scale-out, then the rows stay as they were and the failure is counted', async () => {
    const metrics: Metrics = createMetrics({ collectDefaults: false });
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 }, metrics });
    const { vnfInstanceId, jobId } = await instantiate(rig, 'fw_lb_1');
    const dep = deploymentOf(rig, vnfInstanceId)!;
    const rows = rowsOf(rig.stub.inventory, vnfInstanceId);

    rig.sim.elasticScale('out', { tenant: dep.tenant, deployment: dep.name, vmGroup: dep.vms[0].vmGroup }, 'failure');
    await waitFor(
      async () => (await metrics.registry.getSingleMetricAsString('vnfm_esc_initiated_failures_total')).includes('VM_SCALE_OUT_COMPLETE'),
      10_000,
    );
    expect(rowsOf(rig.stub.inventory, vnfInstanceId)).toEqual(rows);
    expect(escInitiatedNotifies(rig, vnfInstanceId, [jobId])).toEqual([]);
    expectRowsMatchOpdata(rig, vnfInstanceId);
  });
});
