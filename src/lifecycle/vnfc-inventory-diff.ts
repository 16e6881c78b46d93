import { createHash } from 'node:crypto';
import type { VmView } from '../esc/deployment-view';
import type { EscEventView } from '../esc/esc-event-view';
import type { LifecycleOperation } from '../nslcm/nslcm-types';
import type { VnfcEntry } from '../vnfs/vnfc-inventory';
import type { GroupIndex } from './affected-builder';

/** opdata vm_state_machine state of a VM ESC could not bring back (guide, "Operational Data"). */
const VM_ERROR_STATE = 'VM_ERROR_STATE';
/** What the record says of a VM in error when ESC gave no message. */
const DEFAULT_ERROR = 'ESC reports the VM in error';

/** The VNFC entries of VMs as ESC's opdata shows them; `errors` (by VM id) overrides what the VM state says. */
export function vnfcEntriesFor(
  vms: readonly VmView[],
  groups: GroupIndex,
  previous: readonly VnfcEntry[] = [],
  errors: ReadonlyMap<string, string> = new Map(),
): VnfcEntry[] {
  const before = new Map(previous.map((e) => [e.vmId, e]));
  return vms.map((vm) => {
    const was = before.get(vm.vmId);
    const error = errors.get(vm.vmId) ?? (vm.state === VM_ERROR_STATE ? (was?.error ?? DEFAULT_ERROR) : undefined);
    return {
      vnfcInstanceId: vm.vmId,
      vduId: groups[vm.vmGroup]?.vduId ?? vm.vmGroup,
      vmId: vm.vmId,
      vmName: vm.name,
      vmGroup: vm.vmGroup,
      nics: vm.interfaces,
      ...(error === undefined ? {} : { error }),
    };
  });
}

/** A VNFC entry as the VM view the affected arrays are built from. */
export function vmViewOfEntry(e: VnfcEntry): VmView {
  return { vmId: e.vmId, name: e.vmName, vmGroup: e.vmGroup, interfaces: e.nics };
}

/** How ESC's opdata differs from what NSLCM was told. */
export interface InventoryDiff {
  /** VMs in opdata NSLCM does not know (elastic scale-out, the new VM of a recovery). */
  added: VmView[];
  /** VNFCs NSLCM knows whose VM is gone (elastic scale-in, the old VM of a recovery). */
  removed: VnfcEntry[];
  /** The inventory to keep from now on. */
  next: VnfcEntry[];
  /** True when `next` differs from the known inventory at all (VMs, ports or error marks). */
  changed: boolean;
}

/** Compares the known inventory with the VMs of the deployment's opdata. */
export function diffInventory(
  known: readonly VnfcEntry[],
  vms: readonly VmView[],
  groups: GroupIndex,
  errors?: ReadonlyMap<string, string>,
): InventoryDiff {
  const knownIds = new Set(known.map((e) => e.vmId));
  const opdataIds = new Set(vms.map((v) => v.vmId));
  const next = vnfcEntriesFor(vms, groups, known, errors);
  return {
    added: vms.filter((v) => !knownIds.has(v.vmId)),
    removed: known.filter((e) => !opdataIds.has(e.vmId)),
    next,
    changed: JSON.stringify(next) !== JSON.stringify(known),
  };
}

/** The operation NSLCM is told of: a VM replaced is a Heal, VMs only added a Scaleout, only removed a Scalein. */
export function operationOfDiff(diff: Pick<InventoryDiff, 'added' | 'removed'>): LifecycleOperation {
  if (diff.added.length > 0 && diff.removed.length > 0) return 'Heal';
  return diff.added.length > 0 ? 'Scaleout' : 'Scalein';
}

/**
 * The id of the change an ESC-initiated escEvent reports, the same for every replica that hears it: from the ESC
 * (`host:port`), the notification's eventTime, the event type, the deployment and the VMs the event names.
 */
export function escChangeId(esc: string, event: EscEventView): string {
  const parts = [
    esc,
    event.eventTime ?? '',
    event.type,
    event.tenant ?? '',
    event.depname ?? '',
    event.vmSource?.vmid ?? '',
    event.vmTarget?.vmid ?? '',
  ];
  return `esc-event:${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32)}`;
}

/**
 * The jobId of the Notify reporting a difference: derived from the VNF and the VM ids that came and went, so that
 * the same difference found again (after a restart between queuing the Notify and storing the new inventory) is
 * queued once only (the outbox keeps one message per jobId and status). VM ids are never reused, so two different
 * changes never share one.
 */
export function diffJobId(vnfInstanceId: string, diff: Pick<InventoryDiff, 'added' | 'removed'>): string {
  const h = createHash('sha256')
    .update(
      `${vnfInstanceId}\n+${diff.added
        .map((v) => v.vmId)
        .sort()
        .join(',')}\n-${diff.removed
        .map((e) => e.vmId)
        .sort()
        .join(',')}`,
    )
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
