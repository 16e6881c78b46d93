import { childOf, childrenOf, type XmlElement } from '../xml';
import { SimRpcError } from './sim-rpc-error';

function invalid(value: string, path: string, element: string): SimRpcError {
  return new SimRpcError('invalid-value', `"${value}" is not a valid value.`, { path, badElement: element });
}

function checkUint(parent: XmlElement | undefined, name: string, path: string): number | undefined {
  const el = childOf(parent, name);
  if (!el) return undefined;
  const v = el.text.trim();
  if (!/^\d{1,9}$/.test(v)) throw invalid(v, `${path}/esc:${name}`, name);
  return Number(v);
}

/** A tenant entry needs a non-empty name (the guide's own rejection example, "Stage 1"). */
export function validateTenantName(tenant: XmlElement, path: string): void {
  const name = childOf(tenant, 'name');
  if (!name || name.text.trim() === '') throw invalid(name?.text.trim() ?? '', `${path}/esc:name`, 'name');
}

function validateVmGroup(g: XmlElement, path: string): void {
  const name = childOf(g, 'name')?.text.trim() ?? '';
  if (name === '') throw invalid(name, `${path}/esc:name`, 'name');
  const gp = `${path}[name='${name}']`;
  for (const leaf of ['bootup_time', 'reboot_time', 'recovery_wait_time']) checkUint(g, leaf, gp);
  const scaling = childOf(g, 'scaling');
  const min = checkUint(scaling, 'min_active', `${gp}/esc:scaling`);
  const max = checkUint(scaling, 'max_active', `${gp}/esc:scaling`);
  if (min !== undefined && max !== undefined && min > max) {
    throw new SimRpcError('invalid-value', `min_active (${min}) is greater than max_active (${max})`, {
      path: `${gp}/esc:scaling/esc:min_active`,
      badElement: 'min_active',
    });
  }
  const seen = new Set<string>();
  for (const i of childrenOf(childOf(g, 'interfaces'), 'interface')) {
    const nic = checkUint(i, 'nicid', `${gp}/esc:interfaces/esc:interface`);
    if (nic === undefined)
      throw new SimRpcError('missing-element', 'interface without nicid', {
        path: `${gp}/esc:interfaces/esc:interface`,
        badElement: 'nicid',
      });
    if (seen.has(String(nic)))
      throw new SimRpcError('data-exists', `duplicate nicid ${nic}`, { path: `${gp}/esc:interfaces/esc:interface`, badElement: 'nicid' });
    seen.add(String(nic));
  }
}

/** Checks a deployment as it will be after the edit (guide, "Deploy Service"): names, numbers, scaling bounds. */
export function validateDeployment(dep: XmlElement, path: string): void {
  const name = childOf(dep, 'name')?.text.trim() ?? '';
  if (name === '') throw invalid(name, `${path}/esc:name`, 'name');
  const groups = childrenOf(dep, 'vm_group');
  if (groups.length === 0) {
    throw new SimRpcError('missing-element', `Deployment ${name} has no vm_group`, { path, badElement: 'vm_group' });
  }
  for (const g of groups) validateVmGroup(g, `${path}/esc:vm_group`);
}

/** Number of VMs ESC starts for a vm_group: scaling/min_active, default 1. */
export function minActiveOf(group: XmlElement): number {
  const v = childOf(childOf(group, 'scaling'), 'min_active')?.text.trim();
  return v === undefined || v === '' ? 1 : Number(v);
}
