import { createHash } from 'node:crypto';

/** Longest deployment name we generate; ESC builds VM names from it, so keep it short. */
export const MAX_DEPLOYMENT_NAME = 40;
/** Longest vm_group name we generate. */
export const MAX_VM_GROUP_NAME = 32;

const UNSAFE = /[^A-Za-z0-9_-]+/g;

function shortHash(value: string, length: number): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, length);
}

/**
 * The ESC deployment name for a VNF instance: `vnf-`, the id's safe characters (letters, digits,
 * `-`, `_`; at most 27), `-`, and 8 hex digits of the id's SHA-256. Deterministic, so a restart
 * finds the same deployment; the hash keeps ids that differ only in unsafe or cut characters apart.
 */
export function deploymentNameFor(vnfInstanceId: string): string {
  const readable = vnfInstanceId.replace(UNSAFE, '').slice(0, MAX_DEPLOYMENT_NAME - 13);
  return `vnf-${readable}-${shortHash(vnfInstanceId, 8)}`;
}

/**
 * The vm_group name for a VDU: the VDU id itself when it is already ESC-safe and at most
 * {@link MAX_VM_GROUP_NAME} characters, else its safe characters plus `-` and 6 hex digits of its hash.
 */
export function vmGroupNameFor(vduId: string): string {
  const safe = vduId.replace(UNSAFE, '');
  if (safe === vduId && safe.length > 0 && safe.length <= MAX_VM_GROUP_NAME) return vduId;
  return `${safe.slice(0, MAX_VM_GROUP_NAME - 7) || 'vdu'}-${shortHash(vduId, 6)}`;
}

/**
 * The name of the deployment network ESC creates for an internal virtual link: the deployment name (unique per
 * VNF instance), `-`, and the link id's safe characters (at most 20; else cut and 6 hex digits of its hash).
 */
export function networkNameFor(deploymentName: string, vlId: string): string {
  const safe = vlId.replace(UNSAFE, '');
  const part = safe === vlId && safe.length > 0 && safe.length <= 20 ? safe : `${safe.slice(0, 13) || 'vl'}-${shortHash(vlId, 6)}`;
  return `${deploymentName}-${part}`;
}
