import { childOf, childrenOf, type XmlElement } from '../xml';
import { groupShapedLike } from './action-steps';
import type { StepContext } from './deployment-steps';
import type { DeploymentState, VmInstance } from './esc-state';
import type { Step } from './workflow-runner';

/** How an ESC-initiated workflow the simulator is asked to run ends. */
export type InitiatedOutcome = 'success' | 'failure';

function step(type: string, vm: VmInstance, run: () => ReturnType<Step['ok']>): Step {
  return {
    type,
    delay: 'recovery',
    vm,
    ok: run,
    fail: () => run()!,
  };
}

/**
 * Auto recovery of a VM that went down (guide, "Auto Recovery (Auto Healing) Workflow", lines ~4740-4850, and the
 * notifications of "Recovery VM", lines ~4480-4690, policy REBOOT_THEN_REDEPLOY): VM_RECOVERY_INIT, then the hard
 * reboot fails (VM_RECOVERY_REBOOT FAILURE, "If vm reboot failed", ~4540), so ESC undeploys the VM
 * (VM_RECOVERY_UNDEPLOYED, status 204, ~4570) and redeploys it under the same name with a new VM id and new ports
 * (VM_RECOVERY_DEPLOYED with vm_target, ~4590), and ends with VM_RECOVERY_COMPLETE SUCCESS naming old and new VM
 * (~4640). Status codes as the guide's examples: 200, VM_RECOVERY_REBOOT FAILURE 500 (~3932, ~4578),
 * VM_RECOVERY_UNDEPLOYED 204 (~3952, ~4602). With outcome `failure`, as "Attempts for recovery" (~4751) and "Recovery
 * complete" (~4753) describe it: the undeploy and redeploy still happen (VM_RECOVERY_UNDEPLOYED, VM_RECOVERY_DEPLOYED
 * with the new VM id), the redeployed VM never comes alive, and ESC ends with VM_RECOVERY_COMPLETE FAILURE naming old
 * and new VM ("On Failure", ~4848), for the client to clean up with an undeploy ("Handling Recovery Failures", ~4850).
 * Documented assumptions (the guide shows no failure example): one redeploy attempt (vm_recovery_retries_max = 1),
 * and the redeployed VM stays in opdata under its new id in VM_ERROR_STATE.
 */
export function autoRecoverySteps(ctx: StepContext, dep: DeploymentState, old: VmInstance, outcome: InitiatedOutcome): Step[] {
  const next = ctx.vms.build(dep, groupShapedLike(old), 0, old.name);
  const ev = ctx.events;
  const steps: Step[] = [
    step('VM_RECOVERY_INIT', old, () => {
      old.state = 'VM_RECOVERING_STATE';
      return ev.vm(
        dep,
        old,
        'VM_RECOVERY_INIT',
        `Recovery event for VM [${old.name}] triggered. Processing Auto healing. Proceeding with Recovery.`,
      );
    }),
    step('VM_RECOVERY_REBOOT', old, () => ev.vm(dep, old, 'VM_RECOVERY_REBOOT', `VM [${old.name}] failed to be rebooted.`, false)),
    step('VM_RECOVERY_UNDEPLOYED', old, () =>
      ev.vm(dep, old, 'VM_RECOVERY_UNDEPLOYED', `VM [${old.name}] has been undeployed.`, true, undefined, 204),
    ),
  ];
  const failed = outcome === 'failure';
  steps.push(
    step('VM_RECOVERY_DEPLOYED', old, () => {
      next.state = 'VM_BOOTING_STATE';
      ctx.state.replaceVm(dep, old, next);
      return ev.vm(dep, old, 'VM_RECOVERY_DEPLOYED', `VM [${old.name}] has been deployed as part of recovery.`, true, next);
    }),
    step('VM_RECOVERY_COMPLETE', old, () => {
      next.state = failed ? 'VM_ERROR_STATE' : 'VM_ALIVE_STATE';
      return failed
        ? ev.vm(dep, old, 'VM_RECOVERY_COMPLETE', `Recovery: VM [${old.name}] failed to be recovered.`, false, next)
        : ev.vm(dep, old, 'VM_RECOVERY_COMPLETE', `Recovery: Successfully recovered VM [${old.name}].`, true, next);
    }),
  );
  return steps;
}

/**
 * True when the vm_group's configuration asks ESC to recover its VMs: an admin rule on VM_ALIVE with a
 * `FALSE recover` action, the only form the guide shows (`FALSE recover autohealing`, lines ~275, ~2234, ~2654,
 * ~3271: the action runs when VM_ALIVE is false, i.e. the VM is not alive). The guide triggers recovery of a
 * deployed VM that goes down only "if there are rules defined to activate VM recovery for these cases" (Auto
 * Recovery (Auto Healing) Workflow, ~4746), so a `recover` action under TRUE or ALWAYS does not count.
 */
export function groupRecovers(group: XmlElement | undefined): boolean {
  const rules = childrenOf(childOf(childOf(group, 'rules'), 'admin_rules'), 'rule');
  return rules.some(
    (r) =>
      childOf(r, 'event_name')?.text.trim() === 'VM_ALIVE' && childrenOf(r, 'action').some((a) => /(^|\s)FALSE\s+recover\b/.test(a.text)),
  );
}

/**
 * A VM that goes down in a group without a recovery rule: ESC starts no recovery (~4746); the VM stays down, in
 * VM_ERROR_STATE, and the VM monitor reports it. Documented assumption: the guide shows VM_ALIVE only as SUCCESS
 * (~2314); the monitor's report of a VM that stopped answering is taken to be VM_ALIVE with status FAILURE and
 * status_code 500, as the guide's other VM events report failures.
 */
export function vmDownSteps(ctx: StepContext, dep: DeploymentState, vm: VmInstance): Step[] {
  return [
    step('VM_ALIVE', vm, () => {
      vm.state = 'VM_ERROR_STATE';
      return ctx.events.vm(dep, vm, 'VM_ALIVE', `VM [${vm.name}] is not alive.`, false);
    }),
  ];
}

/**
 * Elastic scale-out of a vm_group triggered by ESC's monitors (guide, "Scale Out" under "ESC Triggered Workflows",
 * lines ~4855-4955): VM_SCALE_OUT_INIT, VM_SCALE_OUT_DEPLOYED when the new VM is deployed, VM_SCALE_OUT_COMPLETE
 * when it is alive (vm_target: the new VM). On `failure`, VM_SCALE_OUT_COMPLETE FAILURE and no VM is added (~4945).
 * Documented assumptions: the guide's VM_SCALE_OUT_COMPLETE example (~4925) shows vm_target with vm_source's own
 * vmid; the simulator names the new VM there, the one the workflow added. Its examples carry no status_code: 200 /
 * 500 as the other VM events.
 */
export function elasticScaleOutSteps(ctx: StepContext, dep: DeploymentState, like: VmInstance, outcome: InitiatedOutcome): Step[] {
  const index = dep.vms.filter((v) => v.group === like.group).length;
  const next = ctx.vms.build(dep, groupShapedLike(like), index);
  const ev = ctx.events;
  const steps: Step[] = [step('VM_SCALE_OUT_INIT', like, () => ev.vm(dep, like, 'VM_SCALE_OUT_INIT', 'VM scale out triggered'))];
  if (outcome === 'failure') {
    steps.push(step('VM_SCALE_OUT_COMPLETE', like, () => ev.vm(dep, like, 'VM_SCALE_OUT_COMPLETE', 'VM scaled out failed', false)));
    return steps;
  }
  steps.push(
    step('VM_SCALE_OUT_DEPLOYED', like, () => {
      next.state = 'VM_BOOTING_STATE';
      ctx.state.addVm(dep, next);
      return ev.vm(dep, like, 'VM_SCALE_OUT_DEPLOYED', 'VM deployed');
    }),
    step('VM_SCALE_OUT_COMPLETE', like, () => {
      next.state = 'VM_ALIVE_STATE';
      return ev.vm(dep, like, 'VM_SCALE_OUT_COMPLETE', 'VM scaled out successfully', true, next);
    }),
  );
  return steps;
}

/**
 * Elastic scale-in of a vm_group (guide, "Scale In" under "ESC Triggered Workflows", lines ~4960-5030):
 * VM_SCALE_IN_INIT, then VM_SCALE_IN_COMPLETE once the VM (vm_source) is undeployed. On `failure`,
 * VM_SCALE_IN_COMPLETE FAILURE (~5020) and the VM stays. Documented assumption: the guide does not say which VM of
 * the group ESC removes; the caller picks the newest.
 */
export function elasticScaleInSteps(ctx: StepContext, dep: DeploymentState, vm: VmInstance, outcome: InitiatedOutcome): Step[] {
  const ev = ctx.events;
  return [
    step('VM_SCALE_IN_INIT', vm, () => ev.vm(dep, vm, 'VM_SCALE_IN_INIT', 'VM scale in triggered')),
    step('VM_SCALE_IN_COMPLETE', vm, () => {
      if (outcome === 'failure') return ev.vm(dep, vm, 'VM_SCALE_IN_COMPLETE', 'VM scaled in failed', false);
      const e = ev.vm(dep, vm, 'VM_SCALE_IN_COMPLETE', 'VM scaled in successfully');
      ctx.state.removeVm(dep, vm);
      return e;
    }),
  ];
}
