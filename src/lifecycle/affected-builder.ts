import type { VmView } from '../esc/deployment-view';
import type { VmGroupPlan } from '../esc/mapping/vm-group-builder';
import type { AffectedCp, AffectedVnfc, ChangeType } from '../nslcm/nslcm-types';
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
}

/**
 * A CP's owner type, 0 ("VNF"). NSLCM's API declares `ownerType` a string (its CP serializer is a CharField),
 * so it is sent as "0".
 */
const OWNER_TYPE_VNF = '0';

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
 * Notify arrays (docs/nslcm-contract.md §5 "Notify request", §6 "How NSLCM uses a Notify") for VMs that were added,
 * removed or modified: one affectedVnfc per VM and one affectedCp per NIC, with ids, names, ports, IPs and MACs as ESC's opdata shows them.
 * affectedVl stays empty: NSLCM deletes a REMOVED VL row whoever owns it, and every network a deployment
 * joins is given to it (an extVirtualLink of the NS, or an `inputs` network); the driver creates none.
 */
export function buildAffectedArrays(
  changes: ReadonlyArray<{ changeType: ChangeType; vms: readonly VmView[] }>,
  scope: AffectedScope,
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
          virtualLinkInstanceId: nicMeta?.vlInstanceId ?? nic.network ?? '',
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
  return { affectedVnfc, affectedVl: [], affectedCp, affectedVirtualStorage: [] };
}
