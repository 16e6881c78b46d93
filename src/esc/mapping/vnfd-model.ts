/**
 * The parts of a VF-C catalog VNFD (`packageInfo.vnfdModel`) that the ESC mapping uses, normalised
 * from the several shapes the catalog's TOSCA parser and older VNFDs produce.
 */
export interface VnfdModel {
  vnfdId: string;
  vnfProvider?: string;
  version?: string;
  /** Product name (what VF-C shows as the VNF type). */
  vnfType?: string;
  vdus: VduModel[];
  vls: VlModel[];
  /** External connection points (`vnf_exposed.external_cps`): the CP id and the key NSLCM may use. */
  externalCps: ExternalCpModel[];
  scalingAspects: ScalingAspectModel[];
  /** Initial number of VMs per VDU id (the default instantiation level). */
  instantiationLevels: Record<string, number>;
  /** Instance bounds per VDU id (`vdu_profile`, `vdu_profiles`). */
  vduProfiles: Record<string, { min?: number; max?: number }>;
}

export interface VduModel {
  vduId: string;
  name: string;
  description?: string;
  /** The software image: `name` is what ESC's `<image>` refers to; `file` the packaged path. */
  image?: { name: string; file?: string };
  /** A flavor name the VNFD names directly (non-standard `properties.flavor`). */
  flavorName?: string;
  compute?: ComputeModel;
  /** Connection points in NIC order (nicid = index). */
  cps: CpModel[];
  /** Seconds ESC waits for VM_ALIVE (non-standard `properties.bootup_time`). */
  bootupTime?: number;
  /** Day-0 configuration files, each written to `dst` on the VM. */
  day0: Day0Model[];
}

export interface ComputeModel {
  numVirtualCpu?: number;
  virtualMemMiB?: number;
  diskGiB?: number;
}

export interface CpModel {
  cpdId: string;
  virtualLinkId?: string;
  external: boolean;
  /** `key_name` of the external CP in `vnf_exposed`, when there is one. */
  externalKey?: string;
  order?: number;
}

export type Day0Model = { dst: string; file: string } | { dst: string; data: string };

export interface VlModel {
  vlId: string;
  name?: string;
  description?: string;
  /** Layer-3 data of the link (SOL001 `vl_profile.virtual_link_protocol_data[].l3_protocol_data`, or flat properties). */
  l3?: L3ProtocolModel;
}

export interface L3ProtocolModel {
  /** `ipv4` or `ipv6`, as the VNFD gives it (lower-cased). */
  ipVersion?: string;
  /** e.g. `10.10.0.0/24`. */
  cidr?: string;
  gatewayIp?: string;
  dhcpEnabled?: boolean;
}

export interface ExternalCpModel {
  cpdId: string;
  keyName?: string;
}

export interface ScalingAspectModel {
  aspectId: string;
  vduIds: string[];
  /** VMs added or removed per step, per VDU id (absent: 1). */
  stepDeltas?: Record<string, number>;
  maxScaleLevel?: number;
}
