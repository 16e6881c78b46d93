import type { EnumDialect } from '../nslcm/enum-dialect';
import { LIFECYCLE_OPERATIONS } from '../nslcm/nslcm-types';

/**
 * Checks a Notify body the way NSLCM's serializer does before it answers 201 (docs/nslcm-contract.md §5 "Notify request"):
 * `status` and `operation` exact enums, the four affected arrays present (may be empty), every
 * item's `changeType` an exact enum, text fields strings. Extra fields are not problems.
 */

type Obj = Record<string, unknown>;

/** Which enum spellings apply: current NSLCM takes uppercase, releases before 2019 lowercase. */
function enums(dialect: EnumDialect): { status: string[]; changeType: string[] } {
  const status = ['START', 'RESULT'];
  const changeType = ['ADDED', 'REMOVED', 'MODIFIED', 'TEMPORARY'];
  const spell = (l: string[]): string[] => (dialect === 'lowercase' ? l.map((s) => s.toLowerCase()) : l);
  return { status: spell(status), changeType: spell(changeType) };
}

/** Text fields each affected item may carry, and the nested object whose fields are text too. */
const ITEM_RULES: Record<string, { text: string[]; nested?: { key: string; text: string[]; resourceType?: boolean } }> = {
  affectedVnfc: { text: ['vnfcInstanceId', 'vduId', 'vimId', 'vmId', 'vmName'] },
  affectedVl: {
    text: ['vlInstanceId', 'vldId'],
    nested: { key: 'networkResource', text: ['resourceId', 'resourceName'], resourceType: true },
  },
  affectedCp: {
    text: ['virtualLinkInstanceId', 'cpInstanceId', 'cpdId', 'ownerId'],
    nested: { key: 'portResource', text: ['vimId', 'resourceId', 'resourceName', 'tenant', 'ipAddress', 'macAddress', 'instId'] },
  },
  affectedVirtualStorage: { text: [] },
};

/** Problems of a Notify body, one line each naming the field; empty when NSLCM would accept it. */
export function validateNotifyBody(body: unknown, dialect: EnumDialect = 'uppercase'): string[] {
  if (!isObj(body)) return ['body: must be a JSON object'];
  const allowed = enums(dialect);
  const problems: string[] = [];
  checkEnum(body.status, allowed.status, 'status', problems);
  checkEnum(body.operation, LIFECYCLE_OPERATIONS, 'operation', problems);
  checkText(body, ['jobId', 'vnfdmodule'], '', problems);
  for (const [list, rule] of Object.entries(ITEM_RULES)) {
    const items = body[list];
    if (items === undefined || items === null) {
      problems.push(`${list}: this field is required`);
      continue;
    }
    if (!Array.isArray(items)) {
      problems.push(`${list}: must be a list`);
      continue;
    }
    items.forEach((item, i) => checkItem(item, `${list}[${i}]`, list !== 'affectedVirtualStorage', rule, allowed.changeType, problems));
  }
  return problems;
}

function checkItem(
  item: unknown,
  where: string,
  needsChange: boolean,
  rule: (typeof ITEM_RULES)[string],
  changeTypes: string[],
  problems: string[],
): void {
  if (!isObj(item)) return void problems.push(`${where}: must be an object`);
  if (needsChange) checkEnum(item.changeType, changeTypes, `${where}.changeType`, problems);
  checkText(item, rule.text, `${where}.`, problems);
  if (
    where.startsWith('affectedCp') &&
    item.ownerType !== undefined &&
    item.ownerType !== null &&
    !['string', 'number'].includes(typeof item.ownerType)
  ) {
    problems.push(`${where}.ownerType: must be a string`);
  }
  const nested = rule.nested;
  if (!nested) return;
  const n = item[nested.key];
  if (n === undefined || n === null) return;
  if (!isObj(n)) return void problems.push(`${where}.${nested.key}: must be an object`);
  if (nested.resourceType) checkEnum(n.resourceType, ['network', 'port'], `${where}.${nested.key}.resourceType`, problems);
  checkText(n, nested.text, `${where}.${nested.key}.`, problems);
}

function checkEnum(value: unknown, allowed: readonly string[], where: string, problems: string[]): void {
  if (value === undefined || value === null) problems.push(`${where}: this field is required`);
  else if (typeof value !== 'string' || !allowed.includes(value))
    problems.push(`${where}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
}

function checkText(o: Obj, keys: string[], prefix: string, problems: string[]): void {
  for (const key of keys) {
    const v = o[key];
    if (v !== undefined && v !== null && typeof v !== 'string') problems.push(`${prefix}${key}: must be a string`);
  }
}

function isObj(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
