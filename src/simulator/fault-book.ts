import type { FaultRule } from './simulator-types';

const isRegex = (pattern: string): boolean => pattern.length > 2 && pattern.startsWith('/') && pattern.endsWith('/');

/** Matches a name against an exact name, a glob (`*`, `?`) or a `/regex/`. */
export function matchesName(pattern: string | undefined, name: string | undefined): boolean {
  if (pattern === undefined) return true;
  if (name === undefined) return false;
  if (isRegex(pattern)) return new RegExp(pattern.slice(1, -1)).test(name);
  if (!/[*?]/.test(pattern)) return pattern === name;
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}

/** What the runner should do at a step. */
export type StepFault = { kind: 'fail'; message?: string } | { kind: 'hang' };

const KINDS = new Set(['reject', 'fail-at', 'never-finish', 'drop-after', 'delay-reply', 'inject-event']);

/**
 * The escEvent types the ESC NETCONF guide shows in its notification examples (every `<event><type>` of the guide:
 * resource workflows of section 5, deployment workflows of 6.1, serviceAction / vmAction of 6.2, recovery of
 * "Recovery VM" ~4480-4690 and "Auto Recovery" ~4740-4850, elastic scaling ~4855-5029). An 'inject-event' rule may
 * only send one of these: an injected event ESC never sends would test the driver against a fiction.
 */
const GUIDE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'CREATE_DEFAULT_VIM_CONNECTOR',
  'CREATE_FILE_SERVER',
  'CREATE_FLAVOR',
  'CREATE_IMAGE',
  'CREATE_NETWORK',
  'CREATE_SUBNET',
  'CREATE_TENANT',
  'CREATE_VIM_CONNECTOR',
  'CREATE_VIM_USER',
  'CREATE_VOLUME',
  'DELETE_FILE_SERVER',
  'DELETE_FLAVOR',
  'DELETE_IMAGE',
  'DELETE_NETWORK',
  'DELETE_SUBNET',
  'DELETE_TENANT',
  'DELETE_VIM_CONNECTOR',
  'DELETE_VIM_USER',
  'DELETE_VOLUME',
  'SERVICE_ALIVE',
  'SERVICE_MONITOR_UNSET',
  'SERVICE_STOPPED',
  'SERVICE_UNDEPLOYED',
  'SERVICE_UPDATED',
  'UPDATE_VIM_CONNECTOR',
  'UPDATE_VIM_USER',
  'VM_ALIVE',
  'VM_DEPLOYED',
  'VM_MONITOR_SET',
  'VM_MONITOR_UNSET',
  'VM_REBOOTED',
  'VM_RECOVERY_COMPLETE',
  'VM_RECOVERY_DEPLOYED',
  'VM_RECOVERY_INIT',
  'VM_RECOVERY_REBOOT',
  'VM_RECOVERY_UNDEPLOYED',
  'VM_SCALE_IN_COMPLETE',
  'VM_SCALE_IN_INIT',
  'VM_SCALE_OUT_COMPLETE',
  'VM_SCALE_OUT_DEPLOYED',
  'VM_SCALE_OUT_INIT',
  'VM_STARTED',
  'VM_STOPPED',
  'VM_UNDEPLOYED',
]);

/** Validates a rule from a config file or the admin API; throws a readable Error. */
export function parseFaultRule(raw: unknown): FaultRule {
  const r = raw as FaultRule;
  if (typeof r !== 'object' || r === null || !KINDS.has(r.kind))
    throw new Error(`invalid fault rule ${JSON.stringify(raw)}: kind must be one of ${[...KINDS].join(', ')}`);
  if (r.kind === 'drop-after' && !(Number.isInteger(r.messages) && (r.messages ?? 0) > 0))
    throw new Error('drop-after needs messages >= 1');
  if (r.kind === 'delay-reply' && !(typeof r.delayMs === 'number' && r.delayMs >= 0)) throw new Error('delay-reply needs delayMs >= 0');
  if (r.kind === 'inject-event' && !(typeof r.event === 'string' && r.event && typeof r.step === 'string' && r.step))
    throw new Error('inject-event needs step (after which escEvent) and event (the type to send)');
  if (r.kind === 'inject-event' && !GUIDE_EVENT_TYPES.has(r.event as string))
    throw new Error(`inject-event event ${String(r.event)} is not an escEvent type the ESC guide shows`);
  if (r.status !== undefined && r.status !== 'SUCCESS' && r.status !== 'FAILURE') throw new Error('status must be SUCCESS or FAILURE');
  if (r.match !== undefined && (typeof r.match !== 'object' || r.match === null || Array.isArray(r.match)))
    throw new Error('match must be an object');
  checkPattern('deployment', r.match?.deployment);
  checkPattern('vm', r.match?.vm);
  return { ...r, match: { ...(r.match ?? {}) } };
}

/** A pattern that could not be matched would fail every request it is tried on: refuse it with the rule. */
function checkPattern(field: string, pattern: unknown): void {
  if (pattern === undefined) return;
  if (typeof pattern !== 'string') throw new Error(`match.${field} must be a string`);
  if (!isRegex(pattern)) return;
  try {
    new RegExp(pattern.slice(1, -1));
  } catch (err) {
    throw new Error(`match.${field} ${pattern} is not a valid regular expression: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The active fault rules (issue "Timing and faults"): reject with rpc-error, FAILURE at a step,
 * never finish, drop the connection after N messages, delay replies, and an extra escEvent after a step
 * (e.g. the VM_RECOVERY_REBOOT FAILURE that ESC sends before a recovery redeploy, guide "VM Recovery",
 * event notifications of VM_RECOVERY_REBOOT and VM_RECOVERY_UNDEPLOYED). Rules with `once` are
 * removed when they fire.
 */
export class FaultBook {
  private rules: FaultRule[] = [];

  set(rules: FaultRule[]): void {
    this.rules = rules.map(parseFaultRule);
  }

  add(rule: FaultRule): void {
    this.rules.push(parseFaultRule(rule));
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Whether a rule of this kind is active (lets callers skip working out what a rule would match). */
  has(kind: FaultRule['kind']): boolean {
    return this.rules.some((r) => r.kind === kind);
  }

  private take(kind: FaultRule['kind'], pred: (r: FaultRule) => boolean): FaultRule | undefined {
    const r = this.rules.find((x) => x.kind === kind && pred(x));
    if (r?.once) this.rules = this.rules.filter((x) => x !== r);
    return r;
  }

  private matches(r: FaultRule, deployment: string | undefined, vm: string | undefined): boolean {
    return matchesName(r.match?.deployment, deployment) && matchesName(r.match?.vm, vm);
  }

  /** A 'reject' rule for a request about this deployment / VM. */
  reject(deployment: string | undefined, vm?: string): FaultRule | undefined {
    return this.take('reject', (r) => this.matches(r, deployment, vm));
  }

  /** A 'delay-reply' rule for a request about this deployment (or any request, for rules without match). */
  delayReply(deployment: string | undefined): FaultRule | undefined {
    return this.take('delay-reply', (r) => this.matches(r, deployment, undefined));
  }

  /** A fault at an activation step; `step` defaults to the workflow's final step. */
  atStep(deployment: string | undefined, vm: string | undefined, type: string, isFinal: boolean): StepFault | undefined {
    if (this.rules.length === 0) return undefined; // asked once per activation step
    const fits = (r: FaultRule): boolean => (r.step === undefined ? isFinal : r.step === type) && this.matches(r, deployment, vm);
    const fail = this.take('fail-at', fits);
    if (fail) return { kind: 'fail', message: fail.message };
    return this.take('never-finish', fits) ? { kind: 'hang' } : undefined;
  }

  /** The 'inject-event' rule to apply right after the escEvent of `type` about this deployment / VM, if any. */
  injectAfter(deployment: string | undefined, vm: string | undefined, type: string): FaultRule | undefined {
    if (this.rules.length === 0) return undefined; // asked once per activation step
    return this.take('inject-event', (r) => r.step === type && this.matches(r, deployment, vm));
  }

  /** The 'drop-after' rule that applies to messages about this deployment, if any. */
  dropAfter(deployment: string | undefined): FaultRule | undefined {
    if (this.rules.length === 0) return undefined; // asked once per message sent
    return this.rules.find((r) => r.kind === 'drop-after' && matchesName(r.match?.deployment, deployment));
  }

  /** Removes a rule that fired (for 'drop-after' with once). */
  consume(rule: FaultRule): void {
    if (rule.once) this.rules = this.rules.filter((x) => x !== rule);
  }
}
