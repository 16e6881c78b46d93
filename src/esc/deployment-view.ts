import { childOf, childrenOf, textOf, type XmlElement } from '../xml';

/** One NIC of a VM as ESC's opdata shows it. */
export interface VmInterfaceView {
  nicid: string;
  portId?: string;
  network?: string;
  subnet?: string;
  ipAddress?: string;
  macAddress?: string;
}

/** One VM of a deployment (opdata `vm_group/vm_instance` plus its `vm_state_machine`). */
export interface VmView {
  vmId: string;
  name: string;
  vmGroup: string;
  state?: string;
  interfaces: VmInterfaceView[];
}

/** A deployment as ESC's opdata shows it (guide: "Operational Data", deployments). */
export interface DeploymentView {
  tenant: string;
  name: string;
  /** `state_machine/state`, e.g. SERVICE_ACTIVE_STATE. */
  state?: string;
  vms: VmView[];
}

/**
 * Reads one deployment from a `<get>` reply's `<data>` (esc_datamodel/opdata/tenants/tenant/deployments);
 * undefined when ESC does not know it (never deployed, or undeployed).
 */
export function readDeploymentView(data: XmlElement, tenant: string, depname: string): DeploymentView | undefined {
  const tenants = childOf(childOf(childOf(data, 'esc_datamodel'), 'opdata'), 'tenants');
  const t = childrenOf(tenants, 'tenant').find((el) => textOf(el, 'name') === tenant);
  const dep = childrenOf(t, 'deployments').find((el) => textOf(el, 'deployment_name') === depname);
  if (!dep) return undefined;
  const machine = childOf(dep, 'state_machine');
  const vmStates = new Map<string, string>();
  for (const m of childrenOf(childOf(machine, 'vm_state_machines'), 'vm_state_machine')) {
    vmStates.set(textOf(m, 'vm_name') ?? '', textOf(m, 'state') ?? '');
  }
  const vms: VmView[] = [];
  for (const group of childrenOf(dep, 'vm_group')) {
    const groupName = textOf(group, 'name') ?? '';
    for (const vm of childrenOf(group, 'vm_instance')) {
      const name = textOf(vm, 'name') ?? '';
      vms.push({
        vmId: textOf(vm, 'vm_id') ?? '',
        name,
        vmGroup: groupName,
        state: vmStates.get(name),
        interfaces: childrenOf(childOf(vm, 'interfaces'), 'interface').map(readInterface),
      });
    }
  }
  return { tenant, name: depname, state: textOf(machine, 'state'), vms };
}

function readInterface(el: XmlElement): VmInterfaceView {
  return {
    nicid: textOf(el, 'nicid') ?? '',
    portId: textOf(el, 'port_id'),
    network: textOf(el, 'network'),
    subnet: textOf(el, 'subnet'),
    ipAddress: textOf(el, 'ip_address'),
    macAddress: textOf(el, 'mac_address'),
  };
}

/** VMs in `after` and not in `before` (added) and the reverse (removed), matched by VM id. */
export function diffVmViews(before: readonly VmView[], after: readonly VmView[]): { added: VmView[]; removed: VmView[] } {
  const was = new Set(before.map((v) => v.vmId));
  const is = new Set(after.map((v) => v.vmId));
  return { added: after.filter((v) => !was.has(v.vmId)), removed: before.filter((v) => !is.has(v.vmId)) };
}

/** Number of VMs per vm_group. */
export function countByGroup(vms: readonly VmView[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of vms) counts[v.vmGroup] = (counts[v.vmGroup] ?? 0) + 1;
  return counts;
}
