import type { DeploymentOpdata } from './opdata-parser';
import type { EscInterface } from './esc-interfaces';
import type { VmGroupInterface } from './vm-group-builder';

export type ChangeType = 'ADDED' | 'REMOVED' | 'MODIFIED' | 'TEMPORARY';
/** `uppercase`: NSLCM since 2019 (VFC-1241); `lowercase`: the older releases. */
export type NotifyDialect = 'uppercase' | 'lowercase';

/** A VM that changed, with what the deployment knows of it. */
export interface VnfcChange {
  vm: { vmId: string; name: string; interfaces: EscInterface[] };
  vduId: string;
  changeType: ChangeType;
  /** Defaults to the ESC VM name, which survives ESC's recovery while the vm_id changes. */
  vnfcInstanceId?: string;
}

/** A virtual link the operation created or removed (internal VLs only; NSLCM owns external ones). */
export interface VlChange {
  vldId: string;
  changeType: ChangeType;
  resourceId: string;
  resourceName?: string;
  vlInstanceId?: string;
}

export interface BuildAffectedInput {
  vnfInstanceId: string;
  /** `<cloud_owner>_<cloud_region>`. */
  vimId: string;
  tenant: string;
  changes: VnfcChange[];
  /** NIC layout per VDU (from the deployment plan): which CP and VL each nicid realises. */
  vmGroups: { vduId: string; interfaces: VmGroupInterface[] }[];
  vlChanges?: VlChange[];
  dialect?: NotifyDialect;
}

export interface AffectedVnfc {
  vnfcInstanceId: string; vduId: string; changeType: string; vimId: string; vmId: string; vmName: string;
}
export interface AffectedVl {
  vlInstanceId: string; vldId: string; changeType: string;
  networkResource: { resourceType: 'network'; resourceId: string; resourceName: string };
}
export interface AffectedCp {
  changeType: string; cpInstanceId: string; cpdId: string; ownerType: number; ownerId: string; virtualLinkInstanceId: string;
  portResource: { vimId: string; resourceId: string; resourceName: string; tenant: string; ipAddress: string; macAddress: string; instId: string };
}
export interface AffectedResources {
  affectedVnfc: AffectedVnfc[];
  affectedVl: AffectedVl[];
  affectedCp: AffectedCp[];
  affectedVirtualStorage: never[];
}

/** NSLCM's owner type for resources owned by a VNF instance. */
export const OWNER_TYPE_VNF = 0;

/** The VL instance id we report for an internal virtual link of a VNF instance. */
export function vlInstanceIdFor(vnfInstanceId: string, vldId: string): string {
  return `${vnfInstanceId}_${vldId}`;
}

/**
 * The four `affected*` arrays of an NSLCM Notify (CONTRACT.md, "Calls the driver makes to NSLCM"):
 * one affectedVnfc per changed VM, one affectedCp per NIC of it (port from opdata: resourceId = port
 * id), one affectedVl per VL change; affectedVirtualStorage stays empty (ESC volumes are not mapped).
 */
export function buildAffected(input: BuildAffectedInput): AffectedResources {
  const ct = (c: ChangeType): string => (input.dialect === 'lowercase' ? c.toLowerCase() : c);
  const affectedVnfc = input.changes.map((c) => ({
    vnfcInstanceId: c.vnfcInstanceId ?? c.vm.name,
    vduId: c.vduId,
    changeType: ct(c.changeType),
    vimId: input.vimId,
    vmId: c.vm.vmId,
    vmName: c.vm.name,
  }));
  const affectedCp = input.changes.flatMap((c) => c.vm.interfaces.map((itf) => cpFor(input, c, itf, ct(c.changeType))));
  const affectedVl = (input.vlChanges ?? []).map((vl) => ({
    vlInstanceId: vl.vlInstanceId ?? vlInstanceIdFor(input.vnfInstanceId, vl.vldId),
    vldId: vl.vldId,
    changeType: ct(vl.changeType),
    networkResource: { resourceType: 'network' as const, resourceId: vl.resourceId, resourceName: vl.resourceName ?? vl.resourceId },
  }));
  return { affectedVnfc, affectedVl, affectedCp, affectedVirtualStorage: [] };
}

function cpFor(input: BuildAffectedInput, c: VnfcChange, itf: EscInterface, changeType: string): AffectedCp {
  const layout = input.vmGroups.find((g) => g.vduId === c.vduId)?.interfaces.find((i) => i.nicid === itf.nicid);
  const vlInstanceId =
    layout?.vlInstanceId ?? (layout?.virtualLinkId ? vlInstanceIdFor(input.vnfInstanceId, layout.virtualLinkId) : '');
  return {
    changeType,
    cpInstanceId: itf.portId ?? `${c.vm.vmId}-nic${itf.nicid}`,
    cpdId: layout?.cpdId ?? `nic${itf.nicid}`,
    ownerType: OWNER_TYPE_VNF,
    ownerId: input.vnfInstanceId,
    virtualLinkInstanceId: vlInstanceId,
    portResource: {
      vimId: input.vimId,
      resourceId: itf.portId ?? '',
      resourceName: `${c.vm.name}-nic${itf.nicid}`,
      tenant: input.tenant,
      ipAddress: itf.ipAddress ?? '',
      macAddress: itf.macAddress ?? '',
      instId: c.vm.vmId,
    },
  };
}

/** What the VNF record supplies for a query answer. */
export interface VnfRecordInfo {
  vnfInstanceId: string;
  vnfInstanceName?: string;
  vnfInstanceDescription?: string;
  vnfdId?: string;
  vnfPackageId?: string;
  version?: string;
  vnfProvider?: string;
  vnfType?: string;
}

export interface VnfInfo extends VnfRecordInfo {
  vnfStatus: 'ACTIVE' | 'INACTIVE';
}

/** Opdata service state meaning the deployment is up (guide: opdata `state_machine/state`). */
export const SERVICE_ACTIVE_STATE = 'SERVICE_ACTIVE_STATE';

/** The query answer's `vnfInfo`: ACTIVE when ESC reports the service active, INACTIVE otherwise. */
export function vnfInfoFrom(record: VnfRecordInfo, opdata: DeploymentOpdata | undefined): VnfInfo {
  const info: VnfInfo = { ...record, vnfStatus: opdata?.serviceState === SERVICE_ACTIVE_STATE ? 'ACTIVE' : 'INACTIVE' };
  for (const k of Object.keys(info) as (keyof VnfInfo)[]) if (info[k] === undefined) delete info[k];
  return info;
}
