import type { VmView } from '../esc/deployment-view';
import type { VmGroupPlan } from '../esc/mapping/vm-group-builder';
import type { AffectedCp, AffectedVl, AffectedVnfc, ChangeType } from '../nslcm/nslcm-types';
import type { VnfRecord } from '../vnfs/vnf-record';
import type { AffectedArrays } from './operation-run';

/** What the runtime remembers of one vm_group (kept in the VNF record's attributes). */
export interface GroupMeta {
  vduId: string;
  /** Per nicid: the VNFD CP it realises and, for external CPs, the NS virtual link. */
  nics: Record<string, { cpdId: string; vlInstanceId?: string; virtualLinkId?: string; network?: string }>;
}

/** vm_group name → {@link GroupMeta}. */
export type GroupIndex = Record<string, GroupMeta>;

/** Where the affected items live. */
export interface AffectedScope {
  vnfInstanceId: string;
  /** NSLCM's `owner_region` VIM id. */
  vimId: string;
  tenant: string;
  groups: GroupIndex;
  /** The VLs this VNF created (see {@link OwnedVls}); none when omitted. */
  ownedVls?: OwnedVls;
}

/**
 * The virtual links a VNF instance created itself — the networks its ESC deployment defines — by VNFD virtual link
 * id, with the VIM network. Only these are ever reported in affectedVl (NSLCM deletes a REMOVED VL row whoever owns
 * it): never an extVirtualLink of the NS, never a network given through `inputs`. Kept in the VNF record's
 * attributes under {@link OWNED_VLS_ATTRIBUTE}; empty as long as the deployment defines no network of its own.
 */
export type OwnedVls = Record<string, { resourceId: string; resourceName: string }>;

/** Key of the VNF record attribute holding the {@link OwnedVls}. */
export const OWNED_VLS_ATTRIBUTE = 'escOwnedVls';

/** The vlInstanceId of a VL the VNF created: unique per VNF instance, the same in every Notify. */
export function internalVlInstanceId(vnfInstanceId: string, vldId: string): string {
  return `${vnfInstanceId}.${vldId}`;
}

/**
 * A CP's owner type, 0 ("VNF"). NSLCM's API declares `ownerType` a string (its CP serializer is a CharField),
 * so it is sent as "0".
 */
const OWNER_TYPE_VNF = '0';

/** NSLCM's `owner_region` id of the VIM the VNF was granted, as its record keeps it ('' when unknown). */
export function vimIdStringOf(vnf: VnfRecord): string {
  const v = vnf.attributes.vimIdString;
  return typeof v === 'string' ? v : '';
}

/** The scope of a VNF's affected items, from its record: its groups and the VLs it created. */
export function scopeOfVnf(vnf: VnfRecord, vimId: string, tenant: string): AffectedScope {
  return {
    vnfInstanceId: vnf.vnfInstanceId,
    vimId,
    tenant,
    groups: (vnf.attributes.escGroups ?? {}) as GroupIndex,
    ownedVls: vnf.attributes[OWNED_VLS_ATTRIBUTE] as OwnedVls | undefined,
  };
}

/** The {@link GroupIndex} of a deployment plan's vm_groups: VDU and, per nicid, CP and virtual link. */
export function groupIndexFor(vmGroups: ReadonlyArray<Pick<VmGroupPlan, 'name' | 'vduId' | 'interfaces'>>): GroupIndex {
  const groups: GroupIndex = {};
  for (const g of vmGroups) {
    const nics: GroupMeta['nics'] = {};
    for (const i of g.interfaces) {
      nics[String(i.nicid)] = { cpdId: i.cpdId, vlInstanceId: i.vlInstanceId, virtualLinkId: i.virtualLinkId, network: i.network };
    }
    groups[g.name] = { vduId: g.vduId, nics };
  }
  return groups;
}

/**
 * Notify arrays (docs/nslcm-contract.md §5 "Notify request", §6 "How NSLCM uses a Notify") for VMs that were added, removed or modified: one affectedVnfc
 * per VM and one affectedCp per NIC, with ids, names, ports, IPs and MACs as ESC's opdata shows them.
 * The ownership rules (README, "What NSLCM is told"): a VNFC's vnfcInstanceId is its VM id; affectedVl holds the
 * VLs the VNF created ({@link OwnedVls}), and only when `vlChange` is given (they come and go with the deployment);
 * a CP's virtualLinkInstanceId is the NS's vlInstanceId for an external CP, the owned VL's id for an internal CP on
 * a network the VNF created, and empty for a CP on any other network (NSLCM holds no VL for it).
 */
export function buildAffectedArrays(
  changes: ReadonlyArray<{ changeType: ChangeType; vms: readonly VmView[] }>,
  scope: AffectedScope,
  vlChange?: ChangeType,
): AffectedArrays {
  const affectedVnfc: AffectedVnfc[] = [];
  const affectedCp: AffectedCp[] = [];
  for (const { changeType, vms } of changes) {
    for (const vm of vms) {
      const meta = scope.groups[vm.vmGroup];
      affectedVnfc.push({
        vnfcInstanceId: vm.vmId,
        vduId: meta?.vduId ?? vm.vmGroup,
        changeType,
        vimId: scope.vimId,
        vmId: vm.vmId,
        vmName: vm.name,
      });
      for (const nic of vm.interfaces) {
        const nicMeta = meta?.nics[nic.nicid];
        const cpInstanceId = nic.portId || `${vm.vmId}-nic${nic.nicid}`;
        affectedCp.push({
          changeType,
          cpInstanceId,
          cpdId: nicMeta?.cpdId ?? `nic${nic.nicid}`,
          ownerType: OWNER_TYPE_VNF,
          ownerId: scope.vnfInstanceId,
          virtualLinkInstanceId: virtualLinkOf(nicMeta, scope),
          portResource: {
            vimId: scope.vimId,
            resourceId: nic.portId ?? cpInstanceId,
            resourceName: `${vm.name}-nic${nic.nicid}`,
            tenant: scope.tenant,
            ipAddress: nic.ipAddress ?? '',
            macAddress: nic.macAddress ?? '',
            instId: vm.vmId,
          },
        });
      }
    }
  }
  const affectedVl: AffectedVl[] = vlChange
    ? Object.entries(scope.ownedVls ?? {}).map(([vldId, net]) => ({
        vlInstanceId: internalVlInstanceId(scope.vnfInstanceId, vldId),
        vldId,
        changeType: vlChange,
        networkResource: { resourceType: 'network', resourceId: net.resourceId, resourceName: net.resourceName },
      }))
    : [];
  return { affectedVnfc, affectedVl, affectedCp, affectedVirtualStorage: [] };
}

function virtualLinkOf(nic: GroupMeta['nics'][string] | undefined, scope: AffectedScope): string {
  if (nic?.vlInstanceId) return nic.vlInstanceId;
  if (nic?.virtualLinkId && scope.ownedVls?.[nic.virtualLinkId]) return internalVlInstanceId(scope.vnfInstanceId, nic.virtualLinkId);
  return '';
}
