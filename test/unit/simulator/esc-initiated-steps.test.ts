import { EscEngine } from '../../../src/simulator/esc-engine';
import type { EscEvent } from '../../../src/simulator/esc-event-writer';
import { groupRecovers } from '../../../src/simulator/esc-initiated-steps';
import { FaultBook } from '../../../src/simulator/fault-book';
import { ZERO_DELAYS } from '../../../src/simulator/simulator';
import { parseXml } from '../../../src/xml';
import { ESC_NS, NC_NS } from './sim-test-helpers';

/** The guide's VM_ALIVE admin rule (Deploy Service example, ~2231-2236), with or without its recovery action. */
const aliveRule = (recover: boolean) =>
  `<rules><admin_rules><rule><event_name>VM_ALIVE</event_name><action>ALWAYS log</action>` +
  `${recover ? '<action>FALSE recover autohealing</action>' : ''}<action>TRUE servicebooted.sh</action></rule></admin_rules></rules>`;

const deploy = (vms: number, recover = true) =>
  parseXml(
    `<config xmlns:nc="${NC_NS}"><esc_datamodel xmlns="${ESC_NS}"><tenants><tenant><name>t</name><deployments><deployment><name>d</name>` +
      `<vm_group><name>g</name><interfaces><interface><nicid>0</nicid><network>net-a</network></interface></interfaces>${aliveRule(recover)}` +
      `<scaling><min_active>${vms}</min_active><max_active>4</max_active></scaling></vm_group></deployment></deployments></tenant></tenants></esc_datamodel></config>`,
  );

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** An engine with deployment t/d of `vms` VMs, deployed; `events` records what follows. */
async function deployed(vms = 1, recover = true): Promise<{ engine: EscEngine; events: EscEvent[]; seen: () => string[] }> {
  const events: EscEvent[] = [];
  const engine = new EscEngine(ZERO_DELAYS, new FaultBook(), (e) => events.push(e));
  engine.editConfig(deploy(vms, recover), 'merge');
  await settle();
  events.length = 0;
  return { engine, events, seen: () => events.map((e) => `${e.type}:${e.status}`) };
}

describe('ESC-initiated workflows of the simulator', () => {
  let engine: EscEngine | undefined;
  afterEach(() => engine?.stop());

  it('when a VM is killed, then auto recovery reboots it in vain, redeploys it under its name with a new id and ports, as the guide orders the events', async () => {
    const s = await deployed();
    engine = s.engine;
    const old = { ...s.engine.state.deployment('t', 'd')!.vms[0] };
    s.engine.killVm(old.vmId);
    await settle();
    expect(s.seen()).toEqual([
      'VM_RECOVERY_INIT:SUCCESS',
      'VM_RECOVERY_REBOOT:FAILURE',
      'VM_RECOVERY_UNDEPLOYED:SUCCESS',
      'VM_RECOVERY_DEPLOYED:SUCCESS',
      'VM_RECOVERY_COMPLETE:SUCCESS',
    ]);
    expect(s.events.find((e) => e.type === 'VM_RECOVERY_UNDEPLOYED')?.statusCode).toBe(204);
    const [vm] = s.engine.state.deployment('t', 'd')!.vms;
    expect(vm).toMatchObject({ name: old.name, state: 'VM_ALIVE_STATE' });
    expect(vm.vmId).not.toBe(old.vmId);
    expect(vm.interfaces[0].portId).not.toBe(old.interfaces[0].portId);
    const complete = s.events[s.events.length - 1];
    expect([complete.vmSource?.vmId, complete.vmTarget?.vmId]).toEqual([old.vmId, vm.vmId]);
  });

  it('when a VM is killed in a group whose VM_ALIVE rule has no recovery action, then ESC does not recover it: VM_ALIVE FAILURE and the VM stays in error', async () => {
    const s = await deployed(1, false);
    engine = s.engine;
    const old = { ...s.engine.state.deployment('t', 'd')!.vms[0] };
    s.engine.killVm(old.name);
    await settle();
    expect(s.seen()).toEqual(['VM_ALIVE:FAILURE']);
    expect(s.events[0]).toMatchObject({ statusCode: 500, vmSource: { vmId: old.vmId } });
    const vms = s.engine.state.deployment('t', 'd')!.vms;
    expect(vms.map((v) => [v.vmId, v.state])).toEqual([[old.vmId, 'VM_ERROR_STATE']]);
  });

  it('a vm_group asks for recovery only with a FALSE recover action on VM_ALIVE, the form the guide shows (~2234, ~4746)', () => {
    const group = (action: string) =>
      parseXml(
        `<vm_group><rules><admin_rules><rule><event_name>VM_ALIVE</event_name><action>${action}</action></rule></admin_rules></rules></vm_group>`,
      );
    expect(groupRecovers(group('FALSE recover autohealing'))).toBe(true);
    expect(groupRecovers(group('TRUE recover autohealing'))).toBe(false);
    expect(groupRecovers(group('ALWAYS log'))).toBe(false);
  });

  it('when a killed VM cannot be recovered, then ESC redeploys it once, VM_RECOVERY_COMPLETE is a FAILURE and the new VM stays in error', async () => {
    const s = await deployed();
    engine = s.engine;
    const old = s.engine.state.deployment('t', 'd')!.vms[0];
    s.engine.killVm(old.name, 'failure');
    await settle();
    expect(s.seen()).toEqual([
      'VM_RECOVERY_INIT:SUCCESS',
      'VM_RECOVERY_REBOOT:FAILURE',
      'VM_RECOVERY_UNDEPLOYED:SUCCESS',
      'VM_RECOVERY_DEPLOYED:SUCCESS',
      'VM_RECOVERY_COMPLETE:FAILURE',
    ]);
    const vms = s.engine.state.deployment('t', 'd')!.vms;
    expect(vms.map((v) => [v.name, v.state])).toEqual([[old.name, 'VM_ERROR_STATE']]);
    expect(vms[0].vmId).not.toBe(old.vmId);
  });

  it('when ESC scales a group out and in, then one VM comes with VM_SCALE_OUT_* and the newest goes with VM_SCALE_IN_*', async () => {
    const s = await deployed(1);
    engine = s.engine;
    const first = s.engine.state.deployment('t', 'd')!.vms[0].vmId;
    s.engine.elasticScale('out', 't', 'd', 'g');
    await settle();
    expect(s.seen()).toEqual(['VM_SCALE_OUT_INIT:SUCCESS', 'VM_SCALE_OUT_DEPLOYED:SUCCESS', 'VM_SCALE_OUT_COMPLETE:SUCCESS']);
    const vms = s.engine.state.deployment('t', 'd')!.vms;
    expect(vms).toHaveLength(2);
    expect(s.events[2].vmTarget?.vmId).toBe(vms[1].vmId);
    s.events.length = 0;
    s.engine.elasticScale('in', 't', 'd', 'g');
    await settle();
    expect(s.seen()).toEqual(['VM_SCALE_IN_INIT:SUCCESS', 'VM_SCALE_IN_COMPLETE:SUCCESS']);
    expect(s.engine.state.deployment('t', 'd')!.vms.map((v) => v.vmId)).toEqual([first]);
  });

  it.each([
    ['out', ['VM_SCALE_OUT_INIT:SUCCESS', 'VM_SCALE_OUT_COMPLETE:FAILURE']],
    ['in', ['VM_SCALE_IN_INIT:SUCCESS', 'VM_SCALE_IN_COMPLETE:FAILURE']],
  ] as const)('when an elastic scale-%s fails, then its COMPLETE event is a FAILURE and the VMs stay', async (direction, expected) => {
    const s = await deployed(2);
    engine = s.engine;
    const before = s.engine.state.deployment('t', 'd')!.vms.map((v) => v.vmId);
    s.engine.elasticScale(direction, 't', 'd', 'g', 'failure');
    await settle();
    expect(s.seen()).toEqual(expected);
    expect(s.engine.state.deployment('t', 'd')!.vms.map((v) => v.vmId)).toEqual(before);
  });

  it("when an inject-event rule sends a VM_RECOVERY_UNDEPLOYED SUCCESS, then its status_code is the guide's 204, a FAILURE 500", async () => {
    const events: EscEvent[] = [];
    const faults = new FaultBook();
    faults.add({ kind: 'inject-event', step: 'VM_DEPLOYED', event: 'VM_RECOVERY_UNDEPLOYED', status: 'SUCCESS', once: true });
    faults.add({ kind: 'inject-event', step: 'VM_ALIVE', event: 'VM_RECOVERY_REBOOT', once: true });
    engine = new EscEngine(ZERO_DELAYS, faults, (e) => events.push(e));
    engine.editConfig(deploy(1), 'merge');
    await settle();
    const code = (type: string) => events.filter((e) => e.type === type).map((e) => `${e.status}:${e.statusCode}`);
    expect(code('VM_RECOVERY_UNDEPLOYED')).toEqual(['SUCCESS:204']);
    expect(code('VM_RECOVERY_REBOOT')).toEqual(['FAILURE:500']);
  });

  it('when the VM or group is unknown, then the request is refused', async () => {
    const s = await deployed();
    engine = s.engine;
    expect(() => s.engine.killVm('nope')).toThrow('no VM named or with id nope');
    expect(() => s.engine.elasticScale('out', 't', 'd', 'nope')).toThrow('no VM in group nope');
    expect(() => s.engine.elasticScale('in', 't', 'x', 'g')).toThrow('no deployment x');
  });
});
