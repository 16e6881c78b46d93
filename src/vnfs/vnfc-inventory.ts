import type { VnfRecord } from './vnf-record';

/** One NIC of a VNFC's VM as ESC's opdata last showed it. */
export interface VnfcNic {
  nicid: string;
  portId?: string;
  network?: string;
  subnet?: string;
  ipAddress?: string;
  macAddress?: string;
}

/**
 * One VNFC of a VNF as NSLCM was told of it: a VM of the ESC deployment. `vnfcInstanceId` is the VM id ESC gave the
 * VM, so it stays the same for the life of the VM (a reboot keeps it); a VM that ESC replaces is a new VNFC.
 * `error` is set while ESC reports the VM in error (e.g. a recovery that failed).
 */
export interface VnfcEntry {
  vnfcInstanceId: string;
  vduId: string;
  vmId: string;
  vmName: string;
  vmGroup: string;
  nics: VnfcNic[];
  error?: string;
}

/** Key of the VNF record attribute that holds its {@link VnfcEntry} list. */
export const VNFC_INVENTORY_ATTRIBUTE = 'vnfcs';

/** The VNFCs NSLCM holds for this VNF; undefined when the record predates the inventory. */
export function vnfcInventoryOf(vnf: VnfRecord): VnfcEntry[] | undefined {
  const list = vnf.attributes[VNFC_INVENTORY_ATTRIBUTE];
  return Array.isArray(list) ? (list as VnfcEntry[]) : undefined;
}

/** A VNFC as the query answers it. */
export interface VnfcInfo {
  vnfcInstanceId: string;
  vduId: string;
  vmId: string;
  vmName: string;
  /** ACTIVE, or ERROR while ESC reports the VM in error. */
  vnfcState: 'ACTIVE' | 'ERROR';
  /** What ESC said about the error. */
  errorMessage?: string;
}

/** The VNF's VNFCs for the query answer. */
export function vnfcInfoOf(vnf: VnfRecord): VnfcInfo[] {
  return (vnfcInventoryOf(vnf) ?? []).map((e) => ({
    vnfcInstanceId: e.vnfcInstanceId,
    vduId: e.vduId,
    vmId: e.vmId,
    vmName: e.vmName,
    vnfcState: e.error === undefined ? 'ACTIVE' : 'ERROR',
    ...(e.error === undefined ? {} : { errorMessage: e.error }),
  }));
}
