import { vnfcInfoOf, type VnfcInfo } from './vnfc-inventory';

/** A VIM identified the ONAP way (A&AI cloud owner and region). */
export interface CloudRegion {
  cloud_owner: string;
  cloud_regionid: string;
}

/** Lifecycle state of a VNF instance as the driver records it. */
export type VnfStatus = 'INSTANTIATING' | 'ACTIVE' | 'INACTIVE' | 'TERMINATING' | 'TERMINATED' | 'FAILED';

/** All VNF statuses. */
export const VNF_STATUSES: readonly VnfStatus[] = ['INSTANTIATING', 'ACTIVE', 'INACTIVE', 'TERMINATING', 'TERMINATED', 'FAILED'];

/** The durable record of one VNF instance managed by this driver. Times are ISO-8601 strings. */
export interface VnfRecord {
  vnfInstanceId: string;
  vnfmId: string;
  vnfInstanceName: string;
  vnfInstanceDescription?: string;
  vnfdId: string;
  vnfPackageId: string;
  /** ESC tenant the deployment lives in (set by the southbound). */
  escTenant?: string;
  /** ESC deployment name (set by the southbound). */
  escDeployment?: string;
  vimId?: CloudRegion;
  status: VnfStatus;
  /** Free-form southbound data (e.g. VM ids), JSON-serialisable. */
  attributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** The fields of a VNF record the southbound may change. */
export type VnfPatch = Partial<Pick<VnfRecord, 'escTenant' | 'escDeployment' | 'status' | 'vimId' | 'attributes'>>;

/** Query VNF response item (VNFM Driver API §3.3.2, the VnfInfo table). */
export interface VnfInfo {
  vnfInstanceId: string;
  vnfInstanceName: string;
  vnfInstanceDescription: string;
  vnfdId: string;
  vnfPackageId: string;
  version: string;
  vnfProvider: string;
  vnfType: string;
  /**
   * The instantiation state (VNFM Driver API §3.3.2): ACTIVE from a successful instantiate until terminated (stopped,
   * scaling or healing included), INACTIVE otherwise.
   */
  vnfStatus: string;
  /** ESC's operational state of the deployment (opdata state_machine/state, e.g. SERVICE_STOPPED_STATE), when read. */
  escState?: string;
  /** The VNFCs (VMs) NSLCM was told of, each ACTIVE or in ERROR (beyond the VNFM Driver API's fields; NSLCM ignores extra fields). */
  vnfcs?: VnfcInfo[];
}

/** Builds the VnfInfo the driver can answer from its own record, without asking ESC. */
export function vnfInfoFromRecord(vnf: VnfRecord): VnfInfo {
  return {
    vnfInstanceId: vnf.vnfInstanceId,
    vnfInstanceName: vnf.vnfInstanceName,
    vnfInstanceDescription: vnf.vnfInstanceDescription ?? '',
    vnfdId: vnf.vnfdId,
    vnfPackageId: vnf.vnfPackageId,
    version: stringAttr(vnf, 'version'),
    vnfProvider: stringAttr(vnf, 'vnfProvider'),
    vnfType: stringAttr(vnf, 'vnfType'),
    vnfStatus: INSTANTIATED.has(vnf.status) ? 'ACTIVE' : 'INACTIVE',
    vnfcs: vnfcInfoOf(vnf),
  };
}

/** The record states of an instantiated VNF (INACTIVE: stopped by an operate before this rule, still instantiated). */
const INSTANTIATED: ReadonlySet<VnfStatus> = new Set<VnfStatus>(['ACTIVE', 'INACTIVE', 'TERMINATING']);

function stringAttr(vnf: VnfRecord, key: string): string {
  const v = vnf.attributes[key];
  return typeof v === 'string' ? v : '';
}
