/** Shapes exchanged with ONAP VF-C NSLCM and the catalog (docs/nslcm-contract.md §5 "Calls the driver makes to NSLCM and the catalog"). */

/** Lifecycle operation names as NSLCM's grant and Notify serializers accept them. */
export const LIFECYCLE_OPERATIONS = ['Instantiate', 'Terminate', 'Scaleout', 'Scalein', 'Scaleup', 'Scaledown', 'Heal'] as const;
export type LifecycleOperation = (typeof LIFECYCLE_OPERATIONS)[number];

/** `changeType` of an affected item (current NSLCM spelling). */
export type ChangeType = 'ADDED' | 'REMOVED' | 'MODIFIED' | 'TEMPORARY';

/** A cloud region as ONAP names it; NSLCM's `vimId` string is `${cloudOwner}_${cloudRegionId}`. */
export interface VimRef {
  cloudOwner: string;
  cloudRegionId: string;
}

/** `GET /api/nslcm/v1/vnfms/{vnfmid}`. `password` is non-enumerable so that it never reaches a log line. */
export interface VnfmInfo {
  vnfmId: string;
  name: string;
  type: string;
  vimId?: string;
  url: string;
  userName: string;
  readonly password: string;
}

/** `GET /api/nslcm/v1/vims/{cloudOwner}/{cloudRegionId}`. `password` is non-enumerable. */
export interface VimInfo {
  vimId: string;
  name: string;
  url: string;
  userName: string;
  readonly password: string;
  tenantId?: string;
  tenant?: string;
  vendor?: string;
  version?: string;
  description?: string;
  domain?: string;
  type: string;
  sslCacert?: string;
  sslInsecure?: string;
  status?: string;
}

/** `GET /api/catalog/v1/vnfpackages/{csarId}`. */
export interface VnfPackage {
  csarId: string;
  packageInfo: {
    vnfdId: string;
    /** The parsed VNFD as a JSON string. */
    vnfdModel: string;
    vnfdProvider?: string;
    vnfdVersion?: string;
    vnfVersion?: string;
    csarName?: string;
    downloadUrl?: string;
  };
  imageInfo?: unknown[];
}

/** One entry of a grant's `addResource` / `removeResource`. */
export interface GrantResource {
  type: 'VDU';
  vdu: string;
  resourceDefinitionId: string;
}

/** Body of `POST /api/nslcm/v1/ns/grantvnf`. */
export interface GrantVnfRequest {
  vnfInstanceId: string;
  vnfDescriptorId: string;
  lifecycleOperation: LifecycleOperation;
  jobId: string;
  addResource: GrantResource[];
  removeResource: GrantResource[];
  /** Values are plain strings only: NSLCM rejects anything else. */
  additionalParam: { vnfmid: string; vimid: string } & Record<string, string>;
  vimId: { cloud_owner: string; cloud_regionid: string };
}

/** What the driver keeps from a grant answer. */
export interface GrantResult {
  /** `owner_region` as NSLCM answered it. */
  vimId: string;
  tenant?: string;
  /** The whole answer. */
  raw: unknown;
}

/** `affectedVnfc` item of a Notify. */
export interface AffectedVnfc {
  vnfcInstanceId: string;
  vduId: string;
  changeType: string;
  vimId: string;
  vmId: string;
  vmName: string;
}

/** `affectedVl` item of a Notify. */
export interface AffectedVl {
  vlInstanceId: string;
  vldId: string;
  changeType: string;
  networkResource: { resourceType: 'network'; resourceId: string; resourceName?: string };
}

/** `affectedCp` item of a Notify. */
export interface AffectedCp {
  changeType: string;
  cpInstanceId: string;
  cpdId: string;
  ownerType?: string;
  ownerId?: string;
  virtualLinkInstanceId?: string;
  portResource?: {
    vimId?: string;
    resourceId?: string;
    resourceName?: string;
    tenant?: string;
    ipAddress?: string;
    macAddress?: string;
    instId?: string;
  };
}

/** Body of `POST /api/nslcm/v1/ns/{vnfmid}/vnfs/{vnfInstanceId}/Notify`. */
export interface NotifyBody {
  status: string;
  operation: LifecycleOperation;
  jobId?: string;
  affectedVnfc: AffectedVnfc[];
  affectedVl: AffectedVl[];
  affectedCp: AffectedCp[];
  affectedVirtualStorage: Record<string, unknown>[];
}
