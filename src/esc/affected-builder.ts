import type { AffectedCp, AffectedVl, AffectedVnfc, ChangeType } from '../nslcm/nslcm-types';
import type { VmView } from './deployment-view';
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

/** NSLCM stores a CP's owner type as an integer; 0 is "VNF". */
const OWNER_TYPE_VNF = '0';

/**
 * Notify arrays (CONTRACT.md "Notify") for VMs that were added, removed or modified: one affectedVnfc
 * per VM and one affectedCp per NIC, with ids, names, ports, IPs and MACs as ESC's opdata shows them.
 * With `withVls`, one affectedVl per distinct virtual link the VMs joined (instantiate, terminate).
 */
export function buildAffectedArrays(
  changes: ReadonlyArray<{ changeType: ChangeType; vms: readonly VmView[] }>,
  scope: AffectedScope,
  withVls = false,
): AffectedArrays {
  const affectedVnfc: AffectedVnfc[] = [];
  const affectedCp: AffectedCp[] = [];
  const vls = new Map<string, AffectedVl>();
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
        const vlKey = nicMeta?.vlInstanceId ?? nicMeta?.virtualLinkId ?? nic.network;
        if (withVls && vlKey && !vls.has(vlKey)) {
          vls.set(vlKey, {
            vlInstanceId: vlKey,
            vldId: nicMeta?.virtualLinkId ?? nicMeta?.cpdId ?? vlKey,
            changeType,
            networkResource: { resourceType: 'network', resourceId: nic.network ?? vlKey, resourceName: nicMeta?.network ?? nic.network ?? vlKey },
          });
        }
      }
    }
  }
  return { affectedVnfc, affectedVl: [...vls.values()], affectedCp, affectedVirtualStorage: [] };
}
