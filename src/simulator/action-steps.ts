import type { XmlElement } from '../xml';
import type { DeploymentState, VmInstance, VmState } from './esc-state';
import { finalStep, type StepContext } from './deployment-steps';
import type { Step } from './workflow-runner';
import type { ActionType } from './workflow-types';

/** Per-VM event of an action and its state (guide, "Service Operations" / "VM Operations"). */
interface VmActionSpec {
  type: string;
  ok: string;
  fail: string;
  state: VmState;
  /** VM_ALIVE that follows (START, REBOOT, ENABLE_MONITOR), with its message prefix. */
  alive?: string;
}

const VM_SPECS: Record<Exclude<ActionType, 'RECOVER'>, VmActionSpec> = {
  STOP: { type: 'VM_STOPPED', ok: 'VM successfully stopped', fail: 'Service group suspension failed', state: 'VM_SHUTOFF_STATE' },
  START: {
    type: 'VM_STARTED',
    ok: 'VM successfully started',
    fail: 'VM start failed',
    state: 'VM_BOOTING_STATE',
    alive: 'VM_Alive event received after started',
  },
  REBOOT: {
    type: 'VM_REBOOTED',
    ok: 'VM successfully rebooted',
    fail: 'VM reboot failed',
    state: 'VM_REBOOTING_STATE',
    alive: 'VM_Alive event received after rebooted',
  },
  DISABLE_MONITOR: {
    type: 'VM_MONITOR_UNSET',
    ok: 'Unset monitor completed successfully',
    fail: 'Unset monitor failed',
    state: 'VM_MONITOR_DISABLED_STATE',
  },
  ENABLE_MONITOR: {
    type: 'VM_MONITOR_SET',
    ok: 'Set monitor completed successfully',
    fail: 'Set monitor failed',
    state: 'VM_ALIVE_STATE',
    alive: 'VM_Alive event received after set monitor',
  },
};

/** Final service event per action: [type, success message, failure message, state]. */
const SERVICE_FINAL: Record<Exclude<ActionType, 'RECOVER'>, [string, string, string, DeploymentState['state']]> = {
  STOP: ['SERVICE_STOPPED', 'Service group suspension completed successfully', 'Service group suspension failed', 'SERVICE_STOPPED_STATE'],
  START: ['SERVICE_ALIVE', 'Service group started successfully', 'Service group start failed', 'SERVICE_ACTIVE_STATE'],
  REBOOT: ['SERVICE_ALIVE', 'Service group rebooted successfully', 'Service group reboot failed', 'SERVICE_ACTIVE_STATE'],
  DISABLE_MONITOR: [
    'SERVICE_MONITOR_UNSET',
    'Service group suspension completed successfully',
    'Service group disable monitor failed',
    'SERVICE_ACTIVE_STATE',
  ],
  ENABLE_MONITOR: ['SERVICE_ALIVE', 'Service group set monitor successfully', 'Service group set monitor failed', 'SERVICE_ACTIVE_STATE'],
};

function aliveStep(ctx: StepContext, dep: DeploymentState, vm: VmInstance, prefix: string): Step {
  return {
    type: 'VM_ALIVE',
    delay: 'vmAlive',
    vm,
    ok: () => {
      vm.state = 'VM_ALIVE_STATE';
      return ctx.events.vm(dep, vm, 'VM_ALIVE', `${prefix}, VM ID: [${vm.name}]`);
    },
    fail: (m) => {
      vm.state = 'VM_ERROR_STATE';
      return ctx.events.vm(dep, vm, 'VM_ALIVE', m ?? `VM_Alive event not received, VM ID: [${vm.name}]`, false);
    },
  };
}

function vmStep(ctx: StepContext, dep: DeploymentState, vm: VmInstance, spec: VmActionSpec, okMessage = spec.ok): Step {
  return {
    type: spec.type,
    delay: 'vmAction',
    vm,
    ok: () => {
      vm.state = spec.state;
      return ctx.events.vm(dep, vm, spec.type, okMessage);
    },
    fail: (m) => {
      vm.state = 'VM_ERROR_STATE';
      return ctx.events.vm(dep, vm, spec.type, m ?? spec.fail, false);
    },
  };
}

/** A vm_group element with `vm`'s group name and networks: what a new VM like it is built from. */
export function groupShapedLike(vm: VmInstance): XmlElement {
  const el = (name: string, text: string, children: XmlElement[] = []): XmlElement => ({ name, ns: '', attrs: [], text, children });
  return el('vm_group', '', [
    el('name', vm.group),
    el(
      'interfaces',
      '',
      vm.interfaces.map((i) => el('interface', '', [el('nicid', i.nicid), el('network', i.networkName)])),
    ),
  ]);
}

/** Recovery of one VM (guide, "Recovery VM", policy REBOOT_THEN_REDEPLOY): INIT, REBOOT, UNDEPLOYED, DEPLOYED, COMPLETE. */
export function recoverySteps(ctx: StepContext, dep: DeploymentState, old: VmInstance): Step[] {
  const group = groupShapedLike(old);
  const next = ctx.vms.build(dep, group, 0, old.name);
  const step = (type: string, msg: string, apply: () => void, target?: VmInstance, code = 200): Step => ({
    type,
    delay: 'recovery',
    vm: old,
    ok: () => (apply(), ctx.events.vm(dep, old, type, msg, true, target, code)),
    fail: (m) => {
      old.state = 'VM_ERROR_STATE';
      return ctx.events.vm(dep, old, type, m ?? `Recovery: VM [${old.name}] failed to be recovered.`, false);
    },
  });
  return [
    step('VM_RECOVERY_INIT', `Recovery event for VM [${old.name}] triggered.`, () => (old.state = 'VM_RECOVERING_STATE')),
    step('VM_RECOVERY_REBOOT', `VM [${old.name}] is rebooted.`, () => undefined),
    step('VM_RECOVERY_UNDEPLOYED', `VM [${old.name}] has been undeployed.`, () => undefined, undefined, 204),
    step(
      'VM_RECOVERY_DEPLOYED',
      `VM [${old.name}] has been deployed as part of recovery.`,
      () => ctx.state.replaceVm(dep, old, next),
      next,
    ),
    step('VM_RECOVERY_COMPLETE', `Recovery: Successfully recovered VM [${old.name}].`, () => (next.state = 'VM_ALIVE_STATE'), next),
  ];
}

/** A serviceAction on every VM of a deployment, then the service-level event. */
export function serviceActionSteps(ctx: StepContext, dep: DeploymentState, action: ActionType): Step[] {
  if (action === 'RECOVER') {
    const broken = dep.vms.filter((v) => v.state === 'VM_ERROR_STATE');
    return (broken.length > 0 ? broken : [...dep.vms]).flatMap((vm) => recoverySteps(ctx, dep, vm));
  }
  const spec = VM_SPECS[action];
  const steps = dep.vms.map((vm) =>
    vmStep(ctx, dep, vm, spec, action === 'DISABLE_MONITOR' ? 'Unset Monitoring VM successfully.' : spec.ok),
  );
  if (action === 'ENABLE_MONITOR') steps.length = 0; // the guide shows only VM_ALIVE per VM, then SERVICE_ALIVE
  if (spec.alive)
    steps.push(...dep.vms.map((vm) => aliveStep(ctx, dep, vm, action === 'ENABLE_MONITOR' ? 'VM_Alive event received' : spec.alive!)));
  const [type, okMsg, failMsg, state] = SERVICE_FINAL[action];
  steps.push(finalStep(ctx, dep, type, okMsg, failMsg, state));
  return steps;
}

/** A vmAction on one VM: its VM_* event, plus VM_ALIVE where the guide shows one. */
export function vmActionSteps(ctx: StepContext, dep: DeploymentState, vm: VmInstance, action: ActionType): Step[] {
  if (action === 'RECOVER') return recoverySteps(ctx, dep, vm);
  const spec = VM_SPECS[action];
  const steps = [vmStep(ctx, dep, vm, spec)];
  if (spec.alive) steps.push(aliveStep(ctx, dep, vm, spec.alive));
  return steps;
}
