import type { MappingProblem } from './mapping-errors';
import { asRecord } from './vnfd-values';

/**
 * Overrides read from the instantiate request's `additionalParam.inputs`. Each key is accepted flat
 * (`"vdu_vNat.image": "img"`) or nested (`"vdu_vNat": {"image": "img"}`); numbers may be numeric strings.
 *
 * | key | meaning | accepted values |
 * |-----|---------|-----------------|
 * | `<vduId>.image` | image name in the VIM, instead of the VNFD's software image | name |
 * | `<vduId>.flavor` | flavor name in the VIM, instead of one derived from the VDU's compute requirements | name |
 * | `<vduId>.bootup_time` | seconds ESC waits for VM_ALIVE (`bootup_time`) | integer 1..86400 |
 * | `<vduId>.reboot_time` | seconds ESC waits after a reboot (`reboot_time`) | integer 1..86400 |
 * | `<vduId>.min_active` | VMs ESC keeps at least (`scaling/min_active`) | integer 0..1000 |
 * | `<vduId>.max_active` | VMs ESC may grow to (`scaling/max_active`) | integer 1..1000 |
 * | `<vduId>.elastic` | let ESC scale the group itself between the instantiation level and the VNFD's maximum, on its overload/underload KPIs | `true` or `false` |
 * | `<cpdId>.network` | network (name or id) for a CP, e.g. one on an internal virtual link | name |
 * | `<vlId>.network` | network (name or id) for every CP on that virtual link, instead of a deployment network for an internal link | name |
 * | `esc_tenant` | ESC tenant to deploy in, instead of the tenant the grant returned | name |
 * | `healingOwner` | who recovers a failed VM: ESC's auto-healing, or ONAP Policy through a heal (no ESC recovery action), instead of HEALING_OWNER | `esc` or `onap` |
 *
 * A name is a string (or a number, read as its text) of 1 to 255 characters without control characters; an
 * empty string means "not given". The same rules are applied when the request arrives ({@link inputProblems})
 * and when the deployment is mapped ({@link inputCount}, {@link inputString}), so they cannot disagree.
 */
export type DeploymentInputs = Record<string, unknown>;

/** The rule of one input key: a name, or an integer within bounds. */
export type InputRule =
  { kind: 'name' } | { kind: 'integer'; min: number; max: number } | { kind: 'boolean' } | { kind: 'choice'; values: readonly string[] };

const NAME: InputRule = { kind: 'name' };

/** Rules of the keys given per VDU, CP or virtual link (`<owner>.<key>`). */
export const OWNED_INPUT_RULES: Readonly<Record<string, InputRule>> = {
  image: NAME,
  flavor: NAME,
  bootup_time: { kind: 'integer', min: 1, max: 86400 },
  reboot_time: { kind: 'integer', min: 1, max: 86400 },
  min_active: { kind: 'integer', min: 0, max: 1000 },
  max_active: { kind: 'integer', min: 1, max: 1000 },
  elastic: { kind: 'boolean' },
  network: NAME,
};

/** Rules of the keys given once for the VNF. */
export const VNF_INPUT_RULES: Readonly<Record<string, InputRule>> = {
  esc_tenant: NAME,
  healingOwner: { kind: 'choice', values: ['esc', 'onap'] },
};

const MAX_NAME_LENGTH = 255;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A value read by its rule: absent (undefined, null or ''), the value, or why it is refused. */
type ReadInput<T> = { value?: T; problem?: string };

/** Reads `raw` by `rule`; `key` names the input in the reason. */
export function readInput(rule: InputRule, raw: unknown, key: string): ReadInput<string | number | boolean> {
  if (raw === undefined || raw === null || raw === '') return {};
  if (rule.kind === 'choice') {
    if (typeof raw === 'string' && rule.values.includes(raw.trim())) return { value: raw.trim() };
    return { problem: `inputs '${key}' must be one of ${rule.values.join(', ')}` };
  }
  if (rule.kind === 'boolean') {
    if (raw === true || raw === 'true') return { value: true };
    if (raw === false || raw === 'false') return { value: false };
    return { problem: `inputs '${key}' must be true or false` };
  }
  if (rule.kind === 'name') {
    const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
    if (typeof text !== 'string') return { problem: `inputs '${key}' must be a string` };
    const t = text.trim();
    if (t === '') return {};
    if (t.length > MAX_NAME_LENGTH || CONTROL.test(t)) {
      return { problem: `inputs '${key}' must be 1 to ${MAX_NAME_LENGTH} characters without control characters` };
    }
    return { value: t };
  }
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*[-+]?\d{1,15}\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < rule.min || n > rule.max) {
    return { problem: `inputs '${key}' must be an integer from ${rule.min} to ${rule.max}` };
  }
  return { value: n };
}

/** The input value for `<owner>.<key>`, flat or nested. */
export function inputValue(inputs: DeploymentInputs, owner: string, key: string): unknown {
  const flat = inputs[`${owner}.${key}`];
  return flat !== undefined ? flat : asRecord(inputs[owner])?.[key];
}

/** A name override (OWNED_INPUT_RULES), or undefined when absent or blank; records a problem when refused. */
export function inputString(inputs: DeploymentInputs, owner: string, key: string, problems: MappingProblem[]): string | undefined {
  return owned<string>(inputs, owner, key, problems);
}

/** A count override (OWNED_INPUT_RULES); records a problem when present but outside its rule. */
export function inputCount(inputs: DeploymentInputs, vduId: string, key: string, problems: MappingProblem[]): number | undefined {
  return owned<number>(inputs, vduId, key, problems);
}

/** A flag override (OWNED_INPUT_RULES); records a problem when present but neither true nor false. */
export function inputFlag(inputs: DeploymentInputs, vduId: string, key: string, problems: MappingProblem[]): boolean | undefined {
  return owned<boolean>(inputs, vduId, key, problems);
}

function owned<T extends string | number | boolean>(
  inputs: DeploymentInputs,
  owner: string,
  key: string,
  problems: MappingProblem[],
): T | undefined {
  const read = readInput(OWNED_INPUT_RULES[key], inputValue(inputs, owner, key), `${owner}.${key}`);
  if (read.problem) problems.push({ vduId: owner, field: `inputs.${owner}.${key}`, message: read.problem });
  return read.value as T | undefined;
}

/** The ESC tenant: `inputs.esc_tenant` when given, else the tenant the grant returned. */
export function resolveTenant(inputs: DeploymentInputs, grantedTenant: string): string {
  const read = readInput(VNF_INPUT_RULES.esc_tenant, inputs.esc_tenant, 'esc_tenant');
  return (read.value as string | undefined) ?? grantedTenant;
}

/** Who recovers the VNF's failed VMs: `inputs.healingOwner` when given, else `fallback` (HEALING_OWNER). */
export function resolveHealingOwner(inputs: DeploymentInputs, fallback: 'esc' | 'onap'): 'esc' | 'onap' {
  const read = readInput(VNF_INPUT_RULES.healingOwner, inputs.healingOwner, 'healingOwner');
  return (read.value as 'esc' | 'onap' | undefined) ?? fallback;
}

/**
 * Every documented input of `inputs` that breaks its rule, as `{field: 'additionalParam.inputs.<key>', reason}`,
 * checked when the request arrives: flat keys by the part after their last `.`, nested ones by their inner key.
 * Keys that are not documented are left alone (the mapping does not read them).
 */
export function inputProblems(inputs: DeploymentInputs): { field: string; reason: string }[] {
  const out: { field: string; reason: string }[] = [];
  const check = (rule: InputRule | undefined, raw: unknown, key: string): void => {
    const problem = rule && readInput(rule, raw, key).problem;
    if (problem) out.push({ field: `additionalParam.inputs.${key}`, reason: problem });
  };
  for (const [key, raw] of Object.entries(inputs)) {
    if (Object.hasOwn(VNF_INPUT_RULES, key)) {
      check(VNF_INPUT_RULES[key], raw, key);
      continue;
    }
    const dot = key.lastIndexOf('.');
    if (dot > 0) check(ownedRule(key.slice(dot + 1)), raw, key);
    const nested = asRecord(raw);
    if (nested) for (const [inner, value] of Object.entries(nested)) check(ownedRule(inner), value, `${key}.${inner}`);
  }
  return out;
}

function ownedRule(key: string): InputRule | undefined {
  return Object.hasOwn(OWNED_INPUT_RULES, key) ? OWNED_INPUT_RULES[key] : undefined;
}
