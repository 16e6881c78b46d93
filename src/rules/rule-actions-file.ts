import { ACTION_NAMES, type RuleAction, type VesSourceKind } from './rule-model';
import type { Checker } from './rule-checker';

const SEVERITIES = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING'] as const;
const SOURCES: readonly VesSourceKind[] = ['vm', 'vnf', 'esc'];
const VM_ACTIONS = ['REBOOT', 'START', 'STOP'] as const;
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Reads a rule's `actions`: a non-empty list of mappings, each holding exactly one action. */
export function readActions(raw: unknown, c: Checker): RuleAction[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return c.fail('actions', 'must be a non-empty list');
  const out: RuleAction[] = [];
  raw.forEach((item, i) => {
    const path = `actions[${i}]`;
    const obj = c.record(item, path, true);
    if (!obj) return;
    const keys = Object.keys(obj);
    if (keys.length !== 1 || !(ACTION_NAMES as readonly string[]).includes(keys[0])) {
      c.fail(path, `must hold exactly one of ${ACTION_NAMES.join(', ')}`);
      return;
    }
    const action = readAction(keys[0] as (typeof ACTION_NAMES)[number], obj[keys[0]], `${path}.${keys[0]}`, c);
    if (action) out.push(action);
  });
  return out;
}

function readAction(name: (typeof ACTION_NAMES)[number], raw: unknown, path: string, c: Checker): RuleAction | undefined {
  const obj = c.record(raw ?? {}, path, true);
  if (!obj) return undefined;
  switch (name) {
    case 'raiseFault': {
      c.onlyKeys(obj, path, ['alarmCondition', 'specificProblem', 'severity', 'source', 'vfStatus']);
      const alarmCondition = c.text(obj, 'alarmCondition', `${path}.alarmCondition`, true);
      const specificProblem = c.text(obj, 'specificProblem', `${path}.specificProblem`, true);
      const severity = c.oneOf(obj, 'severity', `${path}.severity`, SEVERITIES, true);
      const source = c.oneOf(obj, 'source', `${path}.source`, SOURCES, false);
      const vfStatus = c.oneOf(obj, 'vfStatus', `${path}.vfStatus`, ['Active', 'Idle'] as const, false) ?? 'Active';
      if (!alarmCondition || !specificProblem || !severity) return undefined;
      return { raiseFault: { alarmCondition, specificProblem, severity, vfStatus, ...(source ? { source } : {}) } };
    }
    case 'clearFault': {
      c.onlyKeys(obj, path, ['alarmCondition', 'specificProblem', 'source', 'vfStatus']);
      const alarmCondition = c.text(obj, 'alarmCondition', `${path}.alarmCondition`, true);
      const specificProblem = c.text(obj, 'specificProblem', `${path}.specificProblem`, false) ?? alarmCondition;
      const source = c.oneOf(obj, 'source', `${path}.source`, SOURCES, false);
      const vfStatus = c.oneOf(obj, 'vfStatus', `${path}.vfStatus`, ['Active', 'Idle'] as const, false) ?? 'Active';
      if (!alarmCondition || !specificProblem) return undefined;
      return { clearFault: { alarmCondition, specificProblem, vfStatus, ...(source ? { source } : {}) } };
    }
    case 'notification': {
      c.onlyKeys(obj, path, ['changeType', 'newState', 'oldState', 'source']);
      const changeType = c.text(obj, 'changeType', `${path}.changeType`, true);
      const newState = c.text(obj, 'newState', `${path}.newState`, false);
      const oldState = c.text(obj, 'oldState', `${path}.oldState`, false);
      const source = c.oneOf(obj, 'source', `${path}.source`, SOURCES, false);
      if (!changeType) return undefined;
      return {
        notification: { changeType, ...(newState ? { newState } : {}), ...(oldState ? { oldState } : {}), ...(source ? { source } : {}) },
      };
    }
    case 'vmAction': {
      c.onlyKeys(obj, path, ['action', 'force']);
      const action = c.oneOf(obj, 'action', `${path}.action`, VM_ACTIONS, true);
      if (obj.force !== undefined && typeof obj.force !== 'boolean') return c.fail(`${path}.force`, 'must be true or false');
      if (!action) return undefined;
      return { vmAction: { action, force: obj.force === true } };
    }
    case 'recoveryVmAction':
      c.onlyKeys(obj, path, []);
      return { recoveryVmAction: {} };
    case 'log': {
      c.onlyKeys(obj, path, ['level', 'message']);
      const level = c.oneOf(obj, 'level', `${path}.level`, LOG_LEVELS, false) ?? 'info';
      const message = c.text(obj, 'message', `${path}.message`, true);
      if (!message) return undefined;
      return { log: { level, message } };
    }
  }
}
