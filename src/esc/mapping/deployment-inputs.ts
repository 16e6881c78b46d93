import type { MappingProblem } from './mapping-errors';
import { asCount, asRecord, asString } from './vnfd-values';

/**
 * Overrides read from the instantiate request's `additionalParam.inputs`. Each key is accepted flat
 * (`"vdu_vNat.image": "img"`) or nested (`"vdu_vNat": {"image": "img"}`); values may be strings.
 *
 * | key | meaning |
 * |-----|---------|
 * | `<vduId>.image` | image name in the VIM, instead of the VNFD's software image |
 * | `<vduId>.flavor` | flavor name in the VIM, instead of one derived from the VDU's compute requirements |
 * | `<vduId>.bootup_time` | seconds ESC waits for VM_ALIVE (`bootup_time`) |
 * | `<vduId>.reboot_time` | seconds ESC waits after a reboot (`reboot_time`) |
 * | `<vduId>.min_active` | VMs ESC keeps at least (`scaling/min_active`) |
 * | `<vduId>.max_active` | VMs ESC may grow to (`scaling/max_active`) |
 * | `<cpdId>.network` | network (name or id) for a CP, e.g. one on an internal virtual link |
 * | `<vlId>.network` | network (name or id) for every CP on that virtual link |
 * | `esc_tenant` | ESC tenant to deploy in, instead of the tenant the grant returned |
 */
export type DeploymentInputs = Record<string, unknown>;

/** The input value for `<owner>.<key>`, flat or nested. */
export function inputValue(inputs: DeploymentInputs, owner: string, key: string): unknown {
  const flat = inputs[`${owner}.${key}`];
  return flat !== undefined ? flat : asRecord(inputs[owner])?.[key];
}

/** A string override, or undefined when absent or blank. */
export function inputString(inputs: DeploymentInputs, owner: string, key: string): string | undefined {
  return asString(inputValue(inputs, owner, key));
}

/** A count override; records a problem when present but not a non-negative integer. */
export function inputCount(
  inputs: DeploymentInputs,
  vduId: string,
  key: string,
  problems: MappingProblem[],
): number | undefined {
  const raw = inputValue(inputs, vduId, key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = asCount(raw);
  if (n === undefined) {
    problems.push({ vduId, field: `inputs.${vduId}.${key}`, message: `VDU ${vduId}: inputs '${vduId}.${key}' is not a non-negative integer` });
  }
  return n;
}

/** The ESC tenant: `inputs.esc_tenant` when given, else the tenant the grant returned. */
export function resolveTenant(inputs: DeploymentInputs, grantedTenant: string): string {
  return asString(inputs.esc_tenant) ?? grantedTenant;
}
