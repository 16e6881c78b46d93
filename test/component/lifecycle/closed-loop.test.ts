import { deploymentNameFor } from '../../../src/esc/mapping/deployment-naming';
import { parseRules } from '../../../src/rules/rules-file';
import type { DeploymentSnapshot } from '../../../src/simulator';
import type { VesFault } from '../../../src/ves/ves-port';
import type { VnfcInfo } from '../../../src/vnfs/vnfc-inventory';
import { childOf, childrenOf, textOf, type XmlElement } from '../../../src/xml';
import { startFakeVesCollector, type FakeVesCollector } from '../../support/fake-ves-collector';
import { getJson } from '../../support/http-service';
import { RecordingVesPublisher } from '../../support/recording-ves-publisher';
import { waitFor } from '../../support/waiting';
import { RawNetconfClient } from '../simulator/raw-netconf-client';
import { awaitNotify, buildFwLbInstantiate, ESC_USER, runOperation, startEscRig, type EscRig } from './esc-service-harness';

const GET_CONFIG = `<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get-config><source><running/></source></get-config></rpc>`;

function deploymentOf(rig: EscRig, vnfInstanceId: string): DeploymentSnapshot | undefined {
  return rig.sim.snapshot().deployments.find((d) => d.name === deploymentNameFor(vnfInstanceId));
}

/** The actions of each vm_group's VM_ALIVE admin rule in the simulator's running configuration. */
function aliveActionsIn(data: XmlElement): Record<string, string[]> {
  const model = childOf(data, 'esc_datamodel');
  const out: Record<string, string[]> = {};
  for (const t of childrenOf(childOf(model, 'tenants'), 'tenant'))
    for (const d of childrenOf(childOf(t, 'deployments'), 'deployment'))
      for (const g of childrenOf(d, 'vm_group')) {
        const rule = childrenOf(childOf(childOf(g, 'rules'), 'admin_rules'), 'rule').find((r) => textOf(r, 'event_name') === 'VM_ALIVE');
        out[textOf(g, 'name') ?? ''] = childrenOf(rule, 'action').map((a) => a.text.trim());
      }
  return out;
}

async function instantiate(rig: EscRig, inputs: Record<string, unknown> = {}): Promise<{ vnfInstanceId: string; jobId: string }> {
  const body = buildFwLbInstantiate();
  const ap = body.additionalParam as { inputs: Record<string, unknown> };
  const inst = await runOperation(rig.base, '/vnfs', { ...body, additionalParam: { ...ap, inputs: { ...ap.inputs, ...inputs } } });
  expect(inst.last.status).toBe('finished');
  await awaitNotify(rig.stub, inst.jobId, 'RESULT');
  return { vnfInstanceId: inst.vnfInstanceId!, jobId: inst.jobId };
}

/** The VNFC of a VM in the query answer. */
async function vnfcOf(rig: EscRig, vnfInstanceId: string, vmId: string): Promise<VnfcInfo | undefined> {
  const res = await getJson(`${rig.base}/vnfs/${vnfInstanceId}`);
  const vnfcs = (res.body as unknown as { vnfInfo: { vnfcs: VnfcInfo[] } }).vnfInfo.vnfcs;
  return vnfcs.find((c) => c.vmId === vmId);
}

/** The name NSLCM knows a VM by: its VNFC's vmName in the query answer. */
async function vnfcNameOf(rig: EscRig, vnfInstanceId: string, vmId: string): Promise<string> {
  return (await vnfcOf(rig, vnfInstanceId, vmId))!.vmName;
}

/** The faults published after the first `from` events, about `sourceName`. */
function faultsSince(ves: RecordingVesPublisher, from: number, sourceName: string): VesFault[] {
  return ves.events.slice(from).filter((e): e is VesFault => e.kind === 'fault' && e.sourceName === sourceName);
}

/** An instantiated VNF's first VM, its name as NSLCM knows it, and how many VES events came before it is killed. */
async function aVictim(rig: EscRig, ves: RecordingVesPublisher) {
  const { vnfInstanceId } = await instantiate(rig);
  const victim = deploymentOf(rig, vnfInstanceId)!.vms[0];
  const name = await vnfcNameOf(rig, vnfInstanceId, victim.vmId);
  return { vnfInstanceId, victim, name, from: ves.events.length };
}

const summary = (faults: VesFault[]): string[] => faults.map((f) => `${f.severity} ${f.alarmCondition}`);

describe('closed loop: what ESC sees reaches VES under the default rules', () => {
  let rig: EscRig | undefined;
  let rpc: RawNetconfClient | undefined;
  afterEach(async () => {
    rpc?.end();
    await rig?.stop();
    rig = rpc = undefined;
  });

  it('when ESC recovers a killed VM, then a MAJOR fault names the VM as NSLCM knows it, and the recovery clears it', async () => {
    const ves = new RecordingVesPublisher();
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 }, vesPublisher: ves });
    const { vnfInstanceId, victim, name, from } = await aVictim(rig, ves);

    rig.sim.killVm(victim.vmId);
    await waitFor(() => faultsSince(ves, from, name).length >= 2, 10_000, { what: 'the fault and its clear' });

    const [raised, cleared] = faultsSince(ves, from, name);
    expect(summary([raised, cleared])).toEqual(['MAJOR vmDown', 'NORMAL vmDown']);
    expect(raised).toMatchObject({ eventSourceType: 'virtualMachine', vnfInstanceId });
    expect(raised.details).toMatchObject({ type: 'VM_RECOVERY_INIT', vmId: victim.vmId, vnfInstanceName: 'fw_lb_1' });
    expect(cleared.details.type).toBe('VM_RECOVERY_COMPLETE');
    expect(await rig.svc.metrics.registry.getSingleMetricAsString('vnfm_rule_firings_total')).toContain('rule="vm-down-esc-recovering"} 1');
  });

  it('when ESC fails to recover a killed VM, then the fault turns CRITICAL', async () => {
    const ves = new RecordingVesPublisher();
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 }, vesPublisher: ves });
    const { victim, name, from } = await aVictim(rig, ves);

    rig.sim.killVm(victim.vmId, 'failure');
    await waitFor(() => faultsSince(ves, from, name).length >= 2, 10_000, { what: 'the fault and its escalation' });
    expect(summary(faultsSince(ves, from, name))).toEqual(['MAJOR vmDown', 'CRITICAL vmDown']);
    expect(faultsSince(ves, from, name)[1].details).toMatchObject({ type: 'VM_RECOVERY_COMPLETE', status: 'FAILURE' });
  });

  it('when ONAP owns healing, then ESC gets no recovery action, a killed VM stays down with a MAJOR fault, and a heal through the API clears it', async () => {
    const ves = new RecordingVesPublisher();
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 }, vesPublisher: ves });
    const { vnfInstanceId, jobId } = await instantiate(rig, { healingOwner: 'onap' });

    rpc = await RawNetconfClient.connect(rig.sim.port, { password: ESC_USER.password });
    const actions = aliveActionsIn(childOf(await rpc.request(GET_CONFIG), 'data')!);
    expect(Object.keys(actions).sort()).toEqual(['vdu_fw', 'vdu_lb']);
    for (const list of Object.values(actions)) {
      expect(list).toContain('ALWAYS log');
      expect(list.filter((a) => a.includes('recover'))).toEqual([]);
    }

    const victim = deploymentOf(rig, vnfInstanceId)!.vms[0];
    const name = await vnfcNameOf(rig, vnfInstanceId, victim.vmId);
    const from = ves.events.length;
    rig.sim.killVm(victim.vmId);
    await waitFor(() => faultsSince(ves, from, name).length >= 1, 10_000, { what: 'the fault' });
    expect(summary(faultsSince(ves, from, name))).toEqual(['MAJOR vmDown']);
    expect(faultsSince(ves, from, name)[0].details).toMatchObject({ type: 'VM_ALIVE', status: 'FAILURE' });
    // The query tells the VM is down at once, not at the next reconciliation pass (a minute away here).
    await waitFor(async () => (await vnfcOf(rig!, vnfInstanceId, victim.vmId))?.vnfcState === 'ERROR', 5_000, {
      what: 'the VNFC in error',
    });
    expect((await vnfcOf(rig, vnfInstanceId, victim.vmId))?.errorMessage).toBe(`VM [${victim.name}] is not alive.`);
    // No recovery: the VM keeps its id, in error, and NSLCM hears of no change ESC made.
    await new Promise((r) => setTimeout(r, 500));
    expect(deploymentOf(rig, vnfInstanceId)!.vms.find((v) => v.name === victim.name)).toMatchObject({
      vmId: victim.vmId,
      state: 'VM_ERROR_STATE',
    });
    expect(await rig.svc.metrics.registry.getSingleMetricAsString('vnfm_rule_matches_total')).not.toContain('vm-down-esc-recovering');
    const notifies = rig.stub.acceptedNotifies().filter((n) => n.path.includes(`/vnfs/${vnfInstanceId}/Notify`));
    expect(notifies.map((n) => (n.body as { jobId?: string }).jobId).filter((id) => id !== jobId)).toEqual([]);

    const heal = await runOperation(rig.base, `/vnfs/${vnfInstanceId}/heal`, { action: 'vmReset', affectedvm: { vmid: victim.vmId } });
    expect(heal.last.status).toBe('finished');
    await waitFor(() => faultsSince(ves, from, name).length >= 2, 10_000, { what: 'the clear' });
    expect(summary(faultsSince(ves, from, name))).toEqual(['MAJOR vmDown', 'NORMAL vmDown']);
    expect(await vnfcOf(rig, vnfInstanceId, victim.vmId)).toMatchObject({ vnfcState: 'ACTIVE' });
  });

  it('when a VM left down under ONAP healing is terminated instead of healed, then its fault is cleared as the VM is gone', async () => {
    const ves = new RecordingVesPublisher();
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 }, vesPublisher: ves });
    const { vnfInstanceId } = await instantiate(rig, { healingOwner: 'onap' });
    const victim = deploymentOf(rig, vnfInstanceId)!.vms[0];
    const name = await vnfcNameOf(rig, vnfInstanceId, victim.vmId);
    const from = ves.events.length;
    rig.sim.killVm(victim.vmId);
    await waitFor(() => faultsSince(ves, from, name).length === 1, 10_000, { what: 'the fault' });

    const term = await runOperation(rig.base, `/vnfs/${vnfInstanceId}/terminate`, { terminationType: 'FORCEFUL' });
    expect(term.last.status).toBe('finished');
    await waitFor(() => faultsSince(ves, from, name).length === 2, 10_000, { what: 'the clear' });
    const [, cleared] = faultsSince(ves, from, name);
    expect(summary(faultsSince(ves, from, name))).toEqual(['MAJOR vmDown', 'NORMAL vmDown']);
    expect(cleared).toMatchObject({
      specificProblem: `VM ${name} removed (Terminate)`,
      vfStatus: 'Idle',
      eventSourceType: 'virtualMachine',
    });
    // The VMs that raised nothing get no clear.
    expect(ves.events.slice(from).filter((e) => e.kind === 'fault' && e.severity === 'NORMAL')).toHaveLength(1);
  });

  it('when ESC goes down and comes back, then one CRITICAL escUnreachable fault names the ESC host, and the reconnect clears it', async () => {
    const ves = new RecordingVesPublisher();
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 }, vesPublisher: ves });
    await instantiate(rig);
    const esc = `127.0.0.1:${rig.sim.port}`;

    rig.sim.goDown(1500);
    await waitFor(() => faultsSince(ves, 0, esc).length >= 2, 15_000, { what: 'the fault and its clear' });
    const faults = faultsSince(ves, 0, esc);
    expect(summary(faults)).toEqual(['CRITICAL escUnreachable', 'NORMAL escUnreachable']);
    expect(faults[0]).toMatchObject({ eventSourceType: 'VNF', vnfInstanceId: '', vnfType: 'ESC' });
  });
});

describe('rules that ask ESC to act', () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  const onVmDown = (action: string) =>
    parseRules(`rules:\n  - name: act\n    event: { types: [VM_ALIVE], statuses: [FAILURE] }\n    actions: [ ${action} ]\n`, 'rules.yaml');

  it('when a rule reboots a VM ESC reports not alive, then ESC reboots it and it is alive again with its id', async () => {
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 }, rules: onVmDown('{ vmAction: { action: REBOOT, force: true } }') });
    const { vnfInstanceId } = await instantiate(rig, { healingOwner: 'onap' });
    const victim = deploymentOf(rig, vnfInstanceId)!.vms[0];

    const fired = async (): Promise<boolean> =>
      (await rig!.svc.metrics.registry.getSingleMetricAsString('vnfm_rule_firings_total')).includes('rule="act"} 1');
    const stateOf = (): string | undefined => deploymentOf(rig!, vnfInstanceId)!.vms.find((v) => v.vmId === victim.vmId)?.state;
    rig.sim.killVm(victim.vmId);
    await waitFor(fired, 10_000, { what: 'the rule to fire on VM_ALIVE FAILURE' });
    await waitFor(() => stateOf() === 'VM_ALIVE_STATE', 10_000, { what: 'the VM alive again' });
    expect(await rig.svc.metrics.registry.getSingleMetricAsString('netconf_rpc_duration_seconds')).toContain('operation="vmAction"');
  });

  it('when a rule asks ESC to recover a VM, then ESC runs its recovery (a recoveryVmAction RPC) and the VM comes back under a new id', async () => {
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 }, rules: onVmDown('{ recoveryVmAction: {} }') });
    const { vnfInstanceId } = await instantiate(rig, { healingOwner: 'onap' });
    const victim = deploymentOf(rig, vnfInstanceId)!.vms[0];

    rig.sim.killVm(victim.vmId);
    await waitFor(
      () =>
        deploymentOf(rig!, vnfInstanceId)!.vms.some(
          (v) => v.name === victim.name && v.vmId !== victim.vmId && v.state === 'VM_ALIVE_STATE',
        ),
      10_000,
      { what: 'the recovered VM' },
    );
    // The simulated ESC works on the VM before its rpc-reply reaches the driver, which times the RPC once it has the reply.
    const rpcTimes = (): Promise<string> => rig!.svc.metrics.registry.getSingleMetricAsString('netconf_rpc_duration_seconds');
    await waitFor(async () => (await rpcTimes()).includes('operation="recoveryVmAction"'), 5_000, { what: 'the RPC timed' });
    expect(await rpcTimes()).toContain('operation="recoveryVmAction"');
  });
});

describe('a threshold rule over ESC’s VM_ALIVE failures', () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  const VDU_UNSTABLE = parseRules(
    `rules:
  - name: vdu-unstable
    event: { types: [VM_ALIVE], statuses: [FAILURE] }
    trigger: { count: 3, windowSeconds: 60, groupBy: vdu }
    actions:
      - raiseFault: { alarmCondition: vduUnstable, specificProblem: 'VDU {vduId} failed 3 times', severity: CRITICAL, source: vnf }
`,
    'rules.yaml',
  );

  it('when the VMs of one VDU fail 4 times within 60 s and the other VDU’s VM once, then one CRITICAL fault is raised, on the 3rd failure of that VDU', async () => {
    const ves = new RecordingVesPublisher();
    rig = await startEscRig({ config: { reconcileIntervalMs: 60_000 }, rules: VDU_UNSTABLE, vesPublisher: ves });
    // ONAP owns healing: ESC does not recover a killed VM, it reports VM_ALIVE FAILURE once and leaves it down.
    const { vnfInstanceId } = await instantiate(rig, { healingOwner: 'onap' });
    const vms = deploymentOf(rig, vnfInstanceId)!.vms;
    const [fw0, fw1] = vms.filter((v) => v.vmGroup === 'vdu_fw');
    const lb = vms.find((v) => v.vmGroup === 'vdu_lb')!;
    const from = ves.events.length;

    const countOf = async (counter: 'ruleMatches' | 'ruleFirings'): Promise<number> =>
      (await rig!.svc.metrics[counter].get()).values.find((v) => v.labels.rule === 'vdu-unstable')?.value ?? 0;
    const counts = async (): Promise<[number, number]> => [await countOf('ruleMatches'), await countOf('ruleFirings')];
    const faults = (): string[] =>
      ves.events.slice(from).flatMap((e) => (e.kind === 'fault' ? [`${e.severity} ${e.alarmCondition} ${e.sourceName}`] : []));
    /** Kills a VM and waits until the rule has taken its VM_ALIVE FAILURE as match number `matches`. */
    const kill = async (vmId: string, matches: number): Promise<void> => {
      rig!.sim.killVm(vmId);
      await waitFor(async () => (await countOf('ruleMatches')) >= matches, 10_000, { what: `match ${matches}` });
    };
    /** Heals the VM through the API: ESC reboots it and it is alive again with its id (VM_ALIVE SUCCESS, no match). */
    const heal = async (vmId: string): Promise<void> => {
      const job = await runOperation(rig!.base, `/vnfs/${vnfInstanceId}/heal`, { action: 'vmReset', affectedvm: { vmid: vmId } });
      expect(job.last.status).toBe('finished');
      expect(deploymentOf(rig!, vnfInstanceId)!.vms.find((v) => v.vmId === vmId)?.state).toBe('VM_ALIVE_STATE');
    };

    await kill(fw0.vmId, 1);
    await heal(fw0.vmId);
    await kill(lb.vmId, 2);
    await kill(fw1.vmId, 3);
    // Two failures of vdu_fw (one per VM) and one of vdu_lb: nothing fired.
    expect(await counts()).toEqual([3, 0]);
    expect(faults()).toEqual([]);

    // The 3rd failure of vdu_fw, the 2nd of its VM fw0: the rule counts per VDU, not per VM, so it fires.
    await kill(fw0.vmId, 4);
    expect(await counts()).toEqual([4, 1]);
    await waitFor(() => faults().length >= 1, 5_000, { what: 'the CRITICAL fault' });
    expect(faults()).toEqual(['CRITICAL vduUnstable fw_lb_1']);
    expect(ves.events[from]).toMatchObject({ specificProblem: 'VDU vdu_fw failed 3 times', eventSourceType: 'VNF', vnfInstanceId });

    // The 4th failure of vdu_fw, in the same window: counted, not fired.
    await heal(fw0.vmId);
    await kill(fw0.vmId, 5);
    expect(await counts()).toEqual([5, 1]);
    // The rule decides as each match comes (the firing is counted with it), so [5, 1] already shows the 4th failure
    // fired nothing; this short pause only shows that no further VM_ALIVE FAILURE (and so no further match or
    // publication) trails the kills.
    await new Promise((r) => setTimeout(r, 300));
    expect(await counts()).toEqual([5, 1]);
    expect(faults()).toEqual(['CRITICAL vduUnstable fw_lb_1']);
  });
});

describe('closed loop in ONAP mode through the VES collector', () => {
  let rig: EscRig | undefined;
  let collector: FakeVesCollector | undefined;
  afterEach(async () => {
    await rig?.stop();
    await collector?.stop();
    rig = collector = undefined;
  });

  /** A rig whose driver posts to a fake collector with basic auth, an instantiated VNF (inputs given) and its first VM. */
  async function rigWithCollector(inputs: Record<string, unknown> = {}) {
    collector = await startFakeVesCollector({ user: 'ves', password: 'ves-secret-pw' });
    rig = await startEscRig({
      config: { reconcileIntervalMs: 60_000, vesUrl: collector.url, vesUser: 'ves', vesPassword: 'ves-secret-pw', vesRetryInitialMs: 200 },
    });
    const { vnfInstanceId } = await instantiate(rig, inputs);
    const victim = deploymentOf(rig, vnfInstanceId)!.vms[0];
    const name = await vnfcNameOf(rig, vnfInstanceId, victim.vmId);
    const c = collector;
    const faultsOf = () =>
      c.events
        .filter((e) => e.commonEventHeader.sourceName === name && e.faultFields)
        .map((e) => `${e.commonEventHeader.eventName} ${String(e.faultFields?.eventSeverity)}`);
    return { rig, collector: c, vnfInstanceId, victim, faultsOf };
  }

  it('when ESC recovers a killed VM, then DCAE’s collector gets the MAJOR fault and the clear on the VM’s name, in order', async () => {
    const { rig, collector, victim, faultsOf } = await rigWithCollector();
    rig.sim.killVm(victim.vmId);
    await waitFor(() => faultsOf().length >= 2, 15_000, { what: 'the fault and its clear at the collector' });
    // The VM coming alive at instantiation cleared no alarm, as none was raised: nothing of it went before the fault
    // (events of one source reach the collector in the order they were decided).
    expect(faultsOf()).toEqual(['Fault_fw-lb_vmDown MAJOR', 'Fault_fw-lb_vmDown NORMAL']);
    expect(collector.refusals).toEqual([]);
  });

  it('when ESC fails to recover a killed VM, then the collector gets the MAJOR fault, then CRITICAL', async () => {
    const { rig, collector, victim, faultsOf } = await rigWithCollector();
    rig.sim.killVm(victim.vmId, 'failure');
    await waitFor(() => faultsOf().length >= 2, 15_000, { what: 'the fault and its escalation at the collector' });
    expect(faultsOf()).toEqual(['Fault_fw-lb_vmDown MAJOR', 'Fault_fw-lb_vmDown CRITICAL']);
    expect(collector.refusals).toEqual([]);
  });

  it('when ESC scales a group out and in on its own, then the collector gets a notification of each on the VNF instance name', async () => {
    const { rig, collector, vnfInstanceId } = await rigWithCollector();
    const dep = deploymentOf(rig, vnfInstanceId)!;
    const target = { tenant: dep.tenant, deployment: dep.name, vmGroup: dep.vms[0].vmGroup };
    const notifications = () =>
      collector.events
        .filter((e) => e.notificationFields)
        .map((e) => `${e.commonEventHeader.sourceName} ${e.commonEventHeader.eventName} ${String(e.notificationFields?.newState)}`);
    rig.sim.elasticScale('out', target);
    await waitFor(() => notifications().length === 1, 15_000, { what: 'the scale-out notification' });
    rig.sim.elasticScale('in', target);
    await waitFor(() => notifications().length === 2, 15_000, { what: 'the scale-in notification' });
    expect(notifications()).toEqual([
      'fw_lb_1 Notification_fw-lb_VM-SCALE-OUT-COMPLETE inService',
      'fw_lb_1 Notification_fw-lb_VM-SCALE-IN-COMPLETE inService',
    ]);
    expect(collector.refusals).toEqual([]);
  });

  it('when ONAP owns healing, then the collector gets the MAJOR fault of a killed VM, ESC does not recover it, and the heal clears it', async () => {
    const { rig, collector, vnfInstanceId, victim, faultsOf } = await rigWithCollector({ healingOwner: 'onap' });
    rig.sim.killVm(victim.vmId);
    await waitFor(() => faultsOf().length >= 1, 15_000, { what: 'the fault at the collector' });
    expect(deploymentOf(rig, vnfInstanceId)!.vms.find((v) => v.name === victim.name)).toMatchObject({
      vmId: victim.vmId,
      state: 'VM_ERROR_STATE',
    });
    const heal = await runOperation(rig.base, `/vnfs/${vnfInstanceId}/heal`, { action: 'vmReset', affectedvm: { vmid: victim.vmId } });
    expect(heal.last.status).toBe('finished');
    await waitFor(() => faultsOf().length >= 2, 15_000, { what: 'the clear at the collector' });
    expect(faultsOf()).toEqual(['Fault_fw-lb_vmDown MAJOR', 'Fault_fw-lb_vmDown NORMAL']);
    expect(collector.refusals).toEqual([]);
  });
});
