import type { VmView } from '../esc/deployment-view';
import type { VnfRecord } from '../vnfs/vnf-record';
import type { GroupIndex } from './affected-builder';
import type { HealVnfRequest } from './requests';

/**
 * Why a heal that names its VM only by `vduid` cannot be carried out on this VNF, judged from the record (the VM
 * groups of the VDU and their current counts); undefined when it names exactly one VM, or names it otherwise.
 */
export function vduHealProblem(vnf: VnfRecord, request: HealVnfRequest): string | undefined {
  const { vmid, vmname, vduid } = request.affectedvm;
  if (vmid || vmname || !vduid) return undefined;
  const groups = (vnf.attributes.escGroups ?? {}) as GroupIndex;
  const bounds = (vnf.attributes.escBounds ?? {}) as Record<string, { current?: number }>;
  const ofVdu = Object.keys(groups).filter((g) => groups[g]?.vduId === vduid);
  if (ofVdu.length === 0) return `VDU ${vduid} is not part of this VNF`;
  const vms = ofVdu.reduce((n, g) => n + (bounds[g]?.current ?? 0), 0);
  return vms === 1 ? undefined : `VDU ${vduid} has ${vms} VMs; name one by vmid or vmname`;
}

/** The VM a heal names: by vmid or vmname, else by vduid when that VDU has exactly one VM. */
export function findHealVm(vms: readonly VmView[], groups: GroupIndex, affectedvm: HealVnfRequest['affectedvm']): VmView | undefined {
  const { vmid, vmname, vduid } = affectedvm;
  if (vmid || vmname) return vms.find((v) => (vmid && v.vmId === vmid) || (vmname && v.name === vmname));
  const ofVdu = vms.filter((v) => (groups[v.vmGroup]?.vduId ?? v.vmGroup) === vduid);
  return ofVdu.length === 1 ? ofVdu[0] : undefined;
}
