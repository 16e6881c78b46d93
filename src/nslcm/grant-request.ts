import { randomUUID } from 'node:crypto';
import type { GrantResource, GrantVnfRequest, LifecycleOperation, VimRef } from './nslcm-types';

/** What a use case knows when it asks NSLCM for a grant. */
export interface GrantInput {
  vnfInstanceId: string;
  vnfDescriptorId: string;
  operation: LifecycleOperation;
  jobId: string;
  vnfmId: string;
  vim: VimRef;
  /** VDUs to create, one entry per VM. */
  add?: ReadonlyArray<{ vdu: string; resourceDefinitionId?: string }>;
  /** VDUs to delete, one entry per VM. */
  remove?: ReadonlyArray<{ vdu: string; resourceDefinitionId?: string }>;
}

/**
 * Builds the body of `POST /api/nslcm/v1/ns/grantvnf` as NSLCM validates it (docs/nslcm-contract.md §5 "Grant request"):
 * both resource lists present, `additionalParam` values plain strings (`vimid` is a JSON string),
 * plus a top-level `vimId` object. A missing `resourceDefinitionId` gets a fresh UUID.
 */
export function buildGrantRequest(input: GrantInput, newId: () => string = randomUUID): GrantVnfRequest {
  const vimObject = { cloud_owner: input.vim.cloudOwner, cloud_regionid: input.vim.cloudRegionId };
  return {
    vnfInstanceId: input.vnfInstanceId,
    vnfDescriptorId: input.vnfDescriptorId,
    lifecycleOperation: input.operation,
    jobId: input.jobId,
    addResource: toResources(input.add, newId),
    removeResource: toResources(input.remove, newId),
    additionalParam: { vnfmid: input.vnfmId, vimid: JSON.stringify(vimObject) },
    vimId: vimObject,
  };
}

function toResources(
  items: ReadonlyArray<{ vdu: string; resourceDefinitionId?: string }> | undefined,
  newId: () => string,
): GrantResource[] {
  return (items ?? []).map((r) => ({ type: 'VDU', vdu: r.vdu, resourceDefinitionId: r.resourceDefinitionId ?? newId() }));
}
