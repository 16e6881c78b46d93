import { childOf, childrenOf, textOf, type XmlElement } from '../../xml';
import { ESC_NS } from './esc-namespace';
import { optionalText, readInterfaces, type EscInterface } from './esc-interfaces';

/** One VM of a deployment as opdata shows it. */
export interface VmRef {
  vmId: string;
  /** ESC's VM name: the one vmAction takes, and stable across ESC recovery (vm_id is not). */
  name: string;
  vmGroup: string;
  hostId?: string;
  hostname?: string;
  /** From `state_machine/vm_state_machines`, e.g. VM_ALIVE_STATE. */
  state?: string;
  interfaces: EscInterface[];
}

export interface VmGroupOpdata {
  name: string;
  vms: VmRef[];
}

/** A deployment's operational data (guide: "Reading Operational Data", "Deploy Service"). */
export interface DeploymentOpdata {
  tenant: string;
  deploymentName: string;
  deploymentId?: string;
  /** `state_machine/state`, e.g. SERVICE_ACTIVE_STATE. */
  serviceState?: string;
  vmGroups: VmGroupOpdata[];
}

/** Finds the first element named `name` (ESC namespace) at or below `el`, breadth first. */
function findEscElement(el: XmlElement, name: string): XmlElement | undefined {
  const queue = [el];
  for (let node = queue.shift(); node; node = queue.shift()) {
    if (node.name === name && node.ns === ESC_NS) return node;
    queue.push(...node.children);
  }
  return undefined;
}

/**
 * Reads one deployment from a `get` reply: accepts the `<rpc-reply>`, its `<data>`, `<esc_datamodel>`
 * or `<opdata>`. Returns undefined when the tenant has no deployment of that name.
 */
export function parseDeploymentOpdata(data: XmlElement, tenant: string, deploymentName: string): DeploymentOpdata | undefined {
  const opdata = findEscElement(data, 'opdata');
  const tenantEl = childrenOf(childOf(opdata, 'tenants', ESC_NS), 'tenant', ESC_NS).find((t) => textOf(t, 'name', ESC_NS) === tenant);
  // In opdata each <deployments> entry is one deployment (a YANG list keyed by deployment_name).
  const dep = childrenOf(tenantEl, 'deployments', ESC_NS).find((d) => textOf(d, 'deployment_name', ESC_NS) === deploymentName);
  if (!dep) return undefined;
  const stateMachine = childOf(dep, 'state_machine', ESC_NS);
  const vmStates = new Map<string, string>();
  for (const sm of childrenOf(childOf(stateMachine, 'vm_state_machines', ESC_NS), 'vm_state_machine', ESC_NS)) {
    const name = optionalText(sm, 'vm_name');
    const state = optionalText(sm, 'state');
    if (name && state) vmStates.set(name, state);
  }
  const out: DeploymentOpdata = {
    tenant,
    deploymentName,
    vmGroups: childrenOf(dep, 'vm_group', ESC_NS).map((g) => readGroup(g, vmStates)),
  };
  const deploymentId = optionalText(dep, 'deployment_id');
  const serviceState = optionalText(stateMachine, 'state');
  if (deploymentId) out.deploymentId = deploymentId;
  if (serviceState) out.serviceState = serviceState;
  return out;
}

function readGroup(g: XmlElement, vmStates: Map<string, string>): VmGroupOpdata {
  const group = optionalText(g, 'name') ?? '';
  const vms = childrenOf(g, 'vm_instance', ESC_NS).flatMap((vm): VmRef[] => {
    const vmId = optionalText(vm, 'vm_id');
    if (!vmId) return [];
    const name = optionalText(vm, 'name') ?? vmId;
    const ref: VmRef = { vmId, name, vmGroup: group, interfaces: readInterfaces(vm) };
    const hostId = optionalText(vm, 'host_id');
    const hostname = optionalText(vm, 'hostname');
    const state = vmStates.get(name);
    if (hostId) ref.hostId = hostId;
    if (hostname) ref.hostname = hostname;
    if (state) ref.state = state;
    return [ref];
  });
  return { name: group, vms };
}

/** Every VM of the deployment, group by group. */
export function allVms(opdata: DeploymentOpdata | undefined): VmRef[] {
  return opdata?.vmGroups.flatMap((g) => g.vms) ?? [];
}

export interface VmDiff {
  added: VmRef[];
  removed: VmRef[];
  kept: VmRef[];
}

/** Compares two opdata snapshots by vm_id: which VMs appeared, which went, which stayed (as after). */
export function diffVms(before: DeploymentOpdata | undefined, after: DeploymentOpdata | undefined): VmDiff {
  const beforeVms = allVms(before);
  const afterVms = allVms(after);
  const beforeIds = new Set(beforeVms.map((v) => v.vmId));
  const afterIds = new Set(afterVms.map((v) => v.vmId));
  return {
    added: afterVms.filter((v) => !beforeIds.has(v.vmId)),
    removed: beforeVms.filter((v) => !afterIds.has(v.vmId)),
    kept: afterVms.filter((v) => beforeIds.has(v.vmId)),
  };
}

/** The VM with that vm_id, else the one with that name (heal's `affectedvm.vmid` / `vmname`). */
export function findVm(opdata: DeploymentOpdata | undefined, key: { vmid?: string; vmname?: string }): VmRef | undefined {
  const vms = allVms(opdata);
  const vmid = key.vmid?.trim();
  const vmname = key.vmname?.trim();
  return (vmid ? vms.find((v) => v.vmId === vmid) : undefined) ?? (vmname ? vms.find((v) => v.name === vmname) : undefined);
}

/** VM count per vm_group name. */
export function vmCounts(opdata: DeploymentOpdata | undefined): Record<string, number> {
  return Object.fromEntries((opdata?.vmGroups ?? []).map((g) => [g.name, g.vms.length]));
}
