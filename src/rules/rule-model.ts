import type { VesSeverity } from '../ves/ves-port';
import type { DriverEventKind } from './driver-event';

/**
 * One event → condition → action rule, shaped after the policy-based event management model (event, condition
 * as a boolean test or a threshold over a window, actions). Validated by `rules-file.ts`.
 */
export interface Rule {
  name: string;
  event: RuleEvent;
  filter: RuleFilter;
  trigger?: RuleTrigger;
  actions: RuleAction[];
}

/** Which driver events a rule listens to. */
export interface RuleEvent {
  kind: DriverEventKind;
  /** escEvent types (VM_ALIVE…); empty = any. */
  types: string[];
  /** escEvent statuses (SUCCESS, FAILURE); empty = any. */
  statuses: string[];
}

/** Narrows the events a rule takes; every given field must equal the event's. */
export interface RuleFilter {
  deployment?: string;
  vnfInstanceId?: string;
  vdu?: string;
  vm?: string;
  escHost?: string;
  healingOwner?: 'esc' | 'onap';
}

/** Numeric fields a threshold can test. */
export const THRESHOLD_FIELDS = ['statusCode', 'addedCount', 'removedCount'] as const;
export type ThresholdField = (typeof THRESHOLD_FIELDS)[number];
export const THRESHOLD_OPERATORS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type ThresholdOperator = (typeof THRESHOLD_OPERATORS)[number];

/** How matches are grouped for a window: one window per VM, VDU, VNF, deployment or ESC. */
export const GROUP_KEYS = ['vm', 'vdu', 'vnf', 'deployment', 'escHost'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

/**
 * When a match fires: when its numeric field passes `threshold` (if given), and when `count` matches of one group
 * fall within `windowSeconds` of the first — once per window; the next match after the window opens a new one.
 */
export interface RuleTrigger {
  count: number;
  windowSeconds: number;
  groupBy: GroupKey;
  threshold?: { field: ThresholdField; operator: ThresholdOperator; value: number };
}

/** Which source a VES action names: the event's VM, its VNF, or the ESC (for ESC reachability). */
export type VesSourceKind = 'vm' | 'vnf' | 'esc';

export interface RaiseFaultAction {
  raiseFault: {
    alarmCondition: string;
    specificProblem: string;
    severity: Exclude<VesSeverity, 'NORMAL'>;
    source?: VesSourceKind;
    vfStatus: 'Active' | 'Idle';
  };
}

export interface ClearFaultAction {
  clearFault: { alarmCondition: string; specificProblem: string; source?: VesSourceKind; vfStatus: 'Active' | 'Idle' };
}

export interface NotificationAction {
  notification: { changeType: string; newState?: string; oldState?: string; source?: VesSourceKind };
}

export interface VmActionAction {
  vmAction: { action: 'REBOOT' | 'START' | 'STOP'; force: boolean };
}

export interface RecoveryVmActionAction {
  recoveryVmAction: Record<string, never>;
}

export interface LogAction {
  log: { level: 'info' | 'warn' | 'error' | 'debug'; message: string };
}

export type RuleAction = RaiseFaultAction | ClearFaultAction | NotificationAction | VmActionAction | RecoveryVmActionAction | LogAction;

/** The names of the actions a rule may take, one key each. */
export const ACTION_NAMES = ['raiseFault', 'clearFault', 'notification', 'vmAction', 'recoveryVmAction', 'log'] as const;

/** The name the driver's own clearing of removed sources' alarms goes by (logs, details, metrics); no rule may take it. */
export const GONE_SOURCE_RULE = 'source-removed';
