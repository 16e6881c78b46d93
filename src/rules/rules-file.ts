import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DRIVER_EVENT_KINDS } from './driver-event';
import { readActions } from './rule-actions-file';
import { Checker, isRecord, MAX_TEXT, type RuleProblem } from './rule-checker';
import {
  GONE_SOURCE_RULE,
  GROUP_KEYS,
  THRESHOLD_FIELDS,
  THRESHOLD_OPERATORS,
  type Rule,
  type RuleFilter,
  type RuleTrigger,
} from './rule-model';

/** The rules file cannot be used; `problems` lists every fault found. */
export class RulesFileError extends Error {
  readonly code = 'RULES_FILE_INVALID';
  constructor(
    readonly file: string,
    readonly problems: RuleProblem[],
  ) {
    super(`rules file ${file} is invalid: ${problems.map((p) => `${p.rule}: ${p.field}: ${p.reason}`).join('; ')}`);
    this.name = 'RulesFileError';
  }
}

const MAX_RULES = 1000;
const MAX_COUNT = 10_000;
const MAX_WINDOW_SECONDS = 86_400;
const FILTER_KEYS = ['deployment', 'vnfInstanceId', 'vdu', 'vm', 'escHost', 'healingOwner'] as const;

/** Reads and validates a rules file (YAML, or JSON, which YAML reads too). @throws RulesFileError */
export function loadRulesFile(path: string): Rule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RulesFileError(path, [{ rule: '(file)', field: '(file)', reason: `cannot be read: ${(err as Error).message}` }]);
  }
  return parseRules(text, path);
}

/** Parses and validates the text of a rules file; `file` names it in errors. @throws RulesFileError */
export function parseRules(text: string, file: string): Rule[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new RulesFileError(file, [{ rule: '(file)', field: '(file)', reason: `is not YAML or JSON: ${(err as Error).message}` }]);
  }
  const problems: RuleProblem[] = [];
  const list = isRecord(doc) ? doc.rules : undefined;
  if (!Array.isArray(list)) {
    throw new RulesFileError(file, [{ rule: '(file)', field: 'rules', reason: 'must be a list of rules' }]);
  }
  if (list.length > MAX_RULES) problems.push({ rule: '(file)', field: 'rules', reason: `holds more than ${MAX_RULES} rules` });
  const rules: Rule[] = [];
  const names = new Set<string>();
  list.slice(0, MAX_RULES).forEach((raw, index) => {
    const label = ruleLabel(raw, index);
    const check = new Checker(label, problems);
    const rule = readRule(raw, check);
    if (rule && names.has(rule.name)) check.fail('name', `is used by an earlier rule; names must be unique`);
    if (rule?.name === GONE_SOURCE_RULE) check.fail('name', `is taken by the driver's own clearing of removed VMs and VNFs`);
    if (rule) names.add(rule.name);
    if (rule && !check.failed) rules.push(rule);
  });
  if (problems.length > 0) throw new RulesFileError(file, problems);
  return rules;
}

function ruleLabel(raw: unknown, index: number): string {
  const name = isRecord(raw) && typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name.trim() : undefined;
  return name ? `rule '${name.slice(0, MAX_TEXT)}' (rules[${index}])` : `rules[${index}]`;
}

function readRule(raw: unknown, c: Checker): Rule | undefined {
  const obj = c.record(raw, '(rule)', true);
  if (!obj) return undefined;
  c.onlyKeys(obj, '', ['name', 'event', 'filter', 'trigger', 'actions']);
  const name = c.text(obj, 'name', 'name', true);
  const event = readEvent(obj.event, c);
  const filter = readFilter(obj.filter, c);
  const trigger = readTrigger(obj.trigger, c);
  const actions = readActions(obj.actions, c);
  if (!name || !event || !filter || !actions) return undefined;
  return { name, event, filter, ...(trigger ? { trigger } : {}), actions };
}

function readEvent(raw: unknown, c: Checker): Rule['event'] | undefined {
  const obj = c.record(raw, 'event', true);
  if (!obj) return undefined;
  c.onlyKeys(obj, 'event', ['kind', 'types', 'statuses']);
  const given = c.oneOf(obj, 'kind', 'event.kind', DRIVER_EVENT_KINDS, false);
  if (given === undefined && obj.kind !== undefined && obj.kind !== null) return undefined;
  const kind = given ?? 'escEvent';
  const types = c.textList(obj, 'types', 'event.types');
  const statuses = c.textList(obj, 'statuses', 'event.statuses')?.map((s) => s.toUpperCase());
  if (statuses?.some((s) => s !== 'SUCCESS' && s !== 'FAILURE')) return c.fail('event.statuses', 'must be SUCCESS or FAILURE');
  if (kind !== 'escEvent' && ((types?.length ?? 0) > 0 || (statuses?.length ?? 0) > 0)) {
    return c.fail('event.types', `types and statuses apply to escEvent only, not to ${kind}`);
  }
  if (kind === 'escEvent' && types?.length === 0) return c.fail('event.types', 'is required for an escEvent rule (e.g. [VM_ALIVE])');
  if (!types || !statuses) return undefined;
  return { kind, types, statuses };
}

function readFilter(raw: unknown, c: Checker): RuleFilter | undefined {
  const obj = c.record(raw, 'filter', false);
  if (!obj) return c.failed ? undefined : {};
  c.onlyKeys(obj, 'filter', FILTER_KEYS);
  const out: RuleFilter = {};
  for (const k of FILTER_KEYS) {
    if (k === 'healingOwner') {
      const v = c.oneOf(obj, k, 'filter.healingOwner', ['esc', 'onap'] as const, false);
      if (v) out.healingOwner = v;
    } else {
      const v = c.text(obj, k, `filter.${k}`, false);
      if (v !== undefined) out[k] = v;
    }
  }
  return out;
}

function readTrigger(raw: unknown, c: Checker): RuleTrigger | undefined {
  const obj = c.record(raw, 'trigger', false);
  if (!obj) return undefined;
  c.onlyKeys(obj, 'trigger', ['count', 'windowSeconds', 'groupBy', 'threshold']);
  const count = c.integer(obj, 'count', 'trigger.count', 1, MAX_COUNT) ?? 1;
  const window = c.integer(obj, 'windowSeconds', 'trigger.windowSeconds', 1, MAX_WINDOW_SECONDS);
  if (obj.count !== undefined && window === undefined && obj.windowSeconds === undefined)
    c.fail('trigger.windowSeconds', 'is required with count');
  const groupBy = c.oneOf(obj, 'groupBy', 'trigger.groupBy', GROUP_KEYS, false) ?? 'vm';
  let threshold: RuleTrigger['threshold'];
  const t = c.record(obj.threshold, 'trigger.threshold', false);
  if (t) {
    c.onlyKeys(t, 'trigger.threshold', ['field', 'operator', 'value']);
    const field = c.oneOf(t, 'field', 'trigger.threshold.field', THRESHOLD_FIELDS, true);
    const operator = c.oneOf(t, 'operator', 'trigger.threshold.operator', THRESHOLD_OPERATORS, true);
    const value = t.value;
    if (typeof value !== 'number' || !Number.isFinite(value)) c.fail('trigger.threshold.value', 'must be a number');
    else if (field && operator) threshold = { field, operator, value };
  }
  if (obj.count === undefined && obj.windowSeconds === undefined && !t)
    return c.fail('trigger', 'needs count and windowSeconds, or threshold');
  return { count, windowSeconds: window ?? 0, groupBy, ...(threshold ? { threshold } : {}) };
}
