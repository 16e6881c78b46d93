import type { EscEvent, EscEventVm } from './event-parser';
import type { ChangeType, VnfcChange } from './notify-mapper';
import { findVm, type DeploymentOpdata, type VmRef } from './opdata-parser';

/** A change ESC made on its own, as NSLCM's Notify `operation` and the VMs it touched. */
export interface EscInitiatedChange {
  operation: 'Heal' | 'Scaleout' | 'Scalein';
  changes: VnfcChange[];
}

export interface EscInitiatedContext {
  /** vm_group name → VDU id of the deployment. */
  vmGroups: { name: string; vduId: string }[];
  /** Opdata last seen before the event (knows the names and ports of VMs that went away). */
  before?: DeploymentOpdata;
  /** Opdata read after the event (knows the ports of VMs that appeared). */
  after?: DeploymentOpdata;
}

const RULES: Record<string, { operation: EscInitiatedChange['operation']; changeType: ChangeType }> = {
  VM_RECOVERY_COMPLETE: { operation: 'Heal', changeType: 'MODIFIED' },
  VM_SCALE_OUT_COMPLETE: { operation: 'Scaleout', changeType: 'ADDED' },
  VM_SCALE_IN_COMPLETE: { operation: 'Scalein', changeType: 'REMOVED' },
};

/**
 * Maps an escEvent of a workflow ESC started itself (guide: "ESC Triggered Workflows": auto-recovery,
 * elastic scale out/in) to the Notify it calls for: recovery → Heal MODIFIED (the VM in `vm_target`,
 * which may be a new vm_id under the same name), scale-out → Scaleout ADDED, scale-in → Scalein REMOVED.
 * Returns undefined for other events, failures, and VMs of unknown groups.
 */
export function escInitiatedChange(event: EscEvent, ctx: EscInitiatedContext): EscInitiatedChange | undefined {
  const rule = RULES[event.type];
  if (!rule || event.status !== 'SUCCESS') return undefined;
  const vduId = ctx.vmGroups.find((g) => g.name === event.vmGroup)?.vduId;
  const eventVm = rule.changeType === 'REMOVED' ? event.vmSource : event.vmTarget ?? event.vmSource;
  if (!vduId || !eventVm) return undefined;
  const previous = findVm(ctx.before, { vmid: event.vmSource?.vmid, vmname: event.vmSource?.vmname });
  const vm = rule.changeType === 'REMOVED' ? previous ?? fromEvent(eventVm, event) : resolveCurrent(eventVm, event, ctx, previous);
  return { operation: rule.operation, changes: [{ vm, vduId, changeType: rule.changeType }] };
}

/** The VM now: from opdata after the event when it is there, else from the event, keeping the old name. */
function resolveCurrent(eventVm: EscEventVm, event: EscEvent, ctx: EscInitiatedContext, previous: VmRef | undefined): VmRef {
  const now = findVm(ctx.after, { vmid: eventVm.vmid });
  if (now) return now;
  const vm = fromEvent(eventVm, event);
  return eventVm.vmname === undefined && previous ? { ...vm, name: previous.name } : vm;
}

function fromEvent(vm: EscEventVm, event: EscEvent): VmRef {
  return { vmId: vm.vmid, name: vm.vmname ?? vm.vmid, vmGroup: event.vmGroup ?? '', interfaces: vm.interfaces };
}
