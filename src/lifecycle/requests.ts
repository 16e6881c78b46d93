/**
 * Normalised lifecycle requests: what the northbound DTOs convert into once validated.
 * Plain data, no decorators. Field names follow VF-C (VNFM Driver API §3, docs/nslcm-contract.md §2 "What arrives in the requests").
 */

import type { CloudRegion } from '../vnfs/vnf-record';

export type { CloudRegion };

/** One external virtual link of an instantiate request (VNFM Driver API §3.1 "Instantiate VNF", extVirtualLink). */
export interface ExtVirtualLink {
  vlInstanceId: string;
  resourceId: string;
  resourceSubnetId?: string;
  cpdId: string;
  vim?: { vimid?: CloudRegion };
  /** NSLCM sends the same VIM as a JSON string here; kept as sent. */
  vimConnectionId?: string;
  id?: string;
}

/** External connection point configuration, kept as NSLCM sends it. */
export interface ExtCp {
  cpdId: string;
  cpConfig?: unknown[];
}

/** `additionalParam.extVirtualLinks[]` items of an instantiate request. */
export interface AdditionalExtVirtualLink {
  network_name?: string;
  key_name?: string;
  subnetwork_name?: string;
  vl_instance_id?: string;
  [k: string]: unknown;
}

/** Instantiate VNF (POST vnfs). `additionalParam.vimId` and `.properties` arrive parsed even when sent as JSON strings. */
export interface InstantiateVnfRequest {
  vnfInstanceName: string;
  vnfPackageId: string;
  vnfDescriptorId: string;
  flavourId?: string;
  vnfInstanceDescription?: string;
  extVirtualLink: ExtVirtualLink[];
  extCps?: ExtCp[];
  additionalParam: {
    inputs: Record<string, unknown>;
    vimId?: CloudRegion;
    properties?: Record<string, unknown>;
    extVirtualLinks?: AdditionalExtVirtualLink[];
    [k: string]: unknown;
  };
}

/** Terminate VNF (POST vnfs/{id}/terminate). Type normalised to upper case; timeout in seconds (0 when absent). */
export interface TerminateVnfRequest {
  terminationType: 'GRACEFUL' | 'FORCEFUL';
  gracefulTerminationTimeout: number;
}

/** Scale VNF (POST vnfs/{id}/scale). `numberOfSteps` is a positive integer. */
export interface ScaleVnfRequest {
  type: 'SCALE_IN' | 'SCALE_OUT';
  aspectId: string;
  numberOfSteps: number;
  /** As sent; `vnfdModel` may be a JSON string or a Python-repr string (docs/nslcm-contract.md §2, Scale). */
  additionalParam: Record<string, unknown>;
}

/** Heal VNF (POST vnfs/{id}/heal). NSLCM sends `vmid` (the VNFM Driver API table says `vimid`; both are read into `vmid`). */
export interface HealVnfRequest {
  action: string;
  affectedvm: { vmid?: string; vduid?: string; vmname?: string };
}

/** Operate VNF (POST vnfs/{id}/operate). `gracefulStopTimeout` in seconds, 0 when absent. */
export interface OperateVnfRequest {
  changeStateTo: 'STARTED' | 'STOPPED';
  stopType?: 'GRACEFUL' | 'FORCEFUL';
  gracefulStopTimeout: number;
}
