import type { Log } from '../logging/log';
import type { VesEventRequest, VesPublisher, VesSource } from '../ves/ves-port';
import type { DriverEvent, DriverEventSink, VmRemoved, VnfTerminated } from './driver-event';
import { GONE_SOURCE_RULE, type Rule, type RuleAction, type VesSourceKind } from './rule-model';
import { fillTemplate, groupOf, matchesEvent, passesThreshold, templateValues, vnfOf } from './rule-matching';
import { WindowTrigger } from './window-trigger';

/** The ESC actions a rule can ask for, on the VM an event names (the ESC connection pool, bound in wiring). */
export interface EscVmActionPort {
  /** vmAction (guide "VM Operations") on the ESC serving `vnfmId`. */
  vmAction(vnfmId: string, escVmName: string, action: 'REBOOT' | 'START' | 'STOP', force: boolean): Promise<void>;
  /** recoveryVmAction DO (guide "Recovery VM") on the ESC serving `vnfmId`. */
  recoveryVmAction(vnfmId: string, escVmName: string): Promise<void>;
}

/** Counters per rule (the driver's `Metrics` fits). */
export interface RuleMetrics {
  ruleMatches: { inc(labels: { rule: string }): void };
  ruleFirings: { inc(labels: { rule: string }): void };
  ruleActionFailures: { inc(labels: { rule: string; action: string }): void };
}

/** Inputs of {@link RulesEngine}. */
export interface RulesEngineOptions {
  log: Log;
  /** Where VES events go; absent = VES is off (VES actions are logged at debug and dropped). */
  publisher?: VesPublisher;
  metrics?: RuleMetrics;
  /** Clock of the trigger windows, epoch ms. */
  now?: () => number;
}

/** What a reload changed. */
export interface RulesChange {
  kept: string[];
  added: string[];
  replaced: string[];
  removed: string[];
}

interface ActiveRule {
  rule: Rule;
  /** The rule's definition as text: a rule whose text is unchanged keeps its trigger state over a reload. */
  text: string;
  trigger: WindowTrigger;
}

/** VES publications queued at most; past it a new one is dropped and logged (the publisher is stuck). */
const MAX_QUEUED = 10_000;

/**
 * Runs the event → condition → action rules over the driver's events. A rule matches an event of its kind, type
 * and status that passes its filter and threshold; its trigger window decides whether the match fires; a firing
 * runs the rule's actions in order. VES events are handed to the publisher one after another, in the order the
 * firings happened; ESC actions run on their own and their failures are logged and counted.
 */
export class RulesEngine implements DriverEventSink {
  private active: ActiveRule[] = [];
  private escActions?: EscVmActionPort;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private readonly pendingEsc = new Set<Promise<void>>();
  private readonly now: () => number;

  constructor(
    private readonly opts: RulesEngineOptions,
    rules: Rule[] = [],
  ) {
    this.now = opts.now ?? Date.now;
    this.setRules(rules);
  }

  /** Binds the ESC once the southbound exists (before that, ESC actions are logged and skipped). */
  useEscActions(port: EscVmActionPort): void {
    this.escActions = port;
  }

  /** The rule names, in order. */
  get ruleNames(): string[] {
    return this.active.map((a) => a.rule.name);
  }

  /** Replaces the rules; a rule with the same name and definition as before keeps its trigger windows. */
  setRules(rules: Rule[]): RulesChange {
    const before = new Map(this.active.map((a) => [a.rule.name, a]));
    const change: RulesChange = { kept: [], added: [], replaced: [], removed: [] };
    this.active = rules.map((rule) => {
      const text = JSON.stringify(rule);
      const old = before.get(rule.name);
      before.delete(rule.name);
      if (old && old.text === text) {
        change.kept.push(rule.name);
        return old;
      }
      (old ? change.replaced : change.added).push(rule.name);
      return { rule, text, trigger: new WindowTrigger(rule.trigger?.count ?? 1, (rule.trigger?.windowSeconds ?? 0) * 1000) };
    });
    change.removed = [...before.keys()];
    return change;
  }

  wantsEscEvent(type: string, status: string): boolean {
    return this.active.some(({ rule: { event } }) => {
      if (event.kind !== 'escEvent') return false;
      return (event.types.length === 0 || event.types.includes(type)) && (event.statuses.length === 0 || event.statuses.includes(status));
    });
  }

  emit(event: DriverEvent): void {
    for (const a of this.active) {
      if (!matchesEvent(a.rule, event) || !passesThreshold(a.rule, event)) continue;
      this.opts.metrics?.ruleMatches.inc({ rule: a.rule.name });
      if (!a.trigger.match(groupOf(event, a.rule.trigger?.groupBy ?? 'vm'), this.now())) continue;
      this.opts.metrics?.ruleFirings.inc({ rule: a.rule.name });
      this.opts.log.debug('rule fired', { rule: a.rule.name, kind: event.kind, type: event.kind === 'escEvent' ? event.type : undefined });
      for (const action of a.rule.actions) this.run(a.rule, action, event);
    }
    if (event.kind === 'vmRemoved' || event.kind === 'vnfTerminated') this.clearAlarmsOfGone(event);
  }

  /** Waits (up to `timeoutMs`) for the VES publications and ESC actions under way. */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([this.queue, ...this.pendingEsc]), limit]);
    clearTimeout(timer);
  }

  private run(rule: Rule, action: RuleAction, event: DriverEvent): void {
    if ('log' in action) {
      const message = fillTemplate(action.log.message, event, rule.name);
      this.opts.log[action.log.level](message, templateValues(event, rule.name));
      return;
    }
    if ('vmAction' in action || 'recoveryVmAction' in action) {
      this.runEscAction(rule, action, event);
      return;
    }
    const ves = this.vesEvent(rule, action, event);
    if (ves) this.publish(rule, ves);
  }

  private vesEvent(rule: Rule, action: RuleAction, event: DriverEvent): VesEventRequest | undefined {
    const details = templateValues(event, rule.name);
    const timeMs = event.timeMs;
    if ('raiseFault' in action || 'clearFault' in action) {
      const f = 'raiseFault' in action ? action.raiseFault : action.clearFault;
      const source = this.sourceOf(rule.name, event, f.source);
      if (!source) return undefined;
      return {
        kind: 'fault',
        ...source,
        alarmCondition: fillTemplate(f.alarmCondition, event, rule.name),
        specificProblem: fillTemplate(f.specificProblem, event, rule.name),
        severity: 'raiseFault' in action ? action.raiseFault.severity : 'NORMAL',
        vfStatus: f.vfStatus,
        eventTimeMs: timeMs,
        details,
      };
    }
    if ('notification' in action) {
      const n = action.notification;
      const source = this.sourceOf(rule.name, event, n.source);
      if (!source) return undefined;
      return {
        kind: 'notification',
        ...source,
        changeType: fillTemplate(n.changeType, event, rule.name),
        changeIdentifier: event.kind === 'escEvent' ? event.type : event.kind,
        ...(n.newState ? { newState: fillTemplate(n.newState, event, rule.name) } : {}),
        ...(n.oldState ? { oldState: fillTemplate(n.oldState, event, rule.name) } : {}),
        eventTimeMs: timeMs,
        details,
      };
    }
    return undefined;
  }

  /**
   * The VES source of an action: `vm` names the VM as NSLCM knows it, `vnf` the VNF instance name, `esc` the ESC's
   * `host:port` (eventSourceType VNF, no VNF instance: VES has no source type for a VNF manager). Without `source`:
   * the VM when the event names one, else the VNF, else the ESC. A VM or VNF source needs a VNF of ours.
   */
  private sourceOf(rule: string, event: DriverEvent, wanted?: VesSourceKind): VesSource | undefined {
    const vnf = vnfOf(event);
    const vmName = event.kind === 'escEvent' || event.kind === 'vmRemoved' ? event.vmName : undefined;
    const kind: VesSourceKind = wanted ?? (vmName ? 'vm' : vnf ? 'vnf' : 'esc');
    if (kind === 'esc') {
      const escHost = 'escHost' in event ? event.escHost : undefined;
      if (escHost) return { sourceName: escHost, eventSourceType: 'VNF', vnfInstanceId: '', vnfType: 'ESC' };
    } else if (vnf && (kind === 'vnf' || vmName)) {
      const base = { vnfInstanceId: vnf.vnfInstanceId, vnfType: vnf.vnfType };
      return kind === 'vm'
        ? { ...base, sourceName: vmName as string, eventSourceType: 'virtualMachine' }
        : { ...base, sourceName: vnf.vnfInstanceName, eventSourceType: 'VNF' };
    }
    this.opts.log.debug('rule action skipped: the event has no such VES source', { rule, source: kind, kind: event.kind });
    return undefined;
  }

  private publish(rule: Rule, ves: VesEventRequest): void {
    this.enqueue(rule.name, ves.kind, ves.sourceName, (publisher) => publisher.publish(ves));
  }

  /**
   * A VM or VNF that is gone can raise nothing more, and no rule could ever clear what it left raised: whatever the
   * rules say, each of its active alarms is cleared (NORMAL, vfStatus Idle), in the order of the other VES events.
   */
  private clearAlarmsOfGone(event: VmRemoved | VnfTerminated): void {
    const source = this.sourceOf(GONE_SOURCE_RULE, event, event.kind === 'vmRemoved' ? 'vm' : 'vnf');
    if (!source) return;
    const why = event.kind === 'vmRemoved' ? `VM ${event.vmName} removed (${event.operation})` : `VNF ${source.sourceName} terminated`;
    const details = templateValues(event, GONE_SOURCE_RULE);
    this.enqueue(GONE_SOURCE_RULE, 'fault', source.sourceName, async (publisher) => {
      const conditions = await publisher.activeAlarms(source.sourceName);
      for (const alarmCondition of conditions) {
        const clear = { ...source, kind: 'fault', alarmCondition, specificProblem: why, severity: 'NORMAL', vfStatus: 'Idle' } as const;
        await publisher.publish({ ...clear, eventTimeMs: event.timeMs, details });
      }
      if (conditions.length) this.opts.log.info('alarms of a removed source cleared', { sourceName: source.sourceName, conditions });
    });
  }

  /** Runs `work` on the publisher after the VES work queued before it; failures are logged and counted under `rule`. */
  private enqueue(rule: string, action: string, sourceName: string, work: (publisher: VesPublisher) => Promise<void>): void {
    const publisher = this.opts.publisher;
    if (!publisher) {
      this.opts.log.debug('VES is off: rule action not sent', { rule, ves: action, sourceName });
      return;
    }
    if (this.queued >= MAX_QUEUED) {
      this.opts.metrics?.ruleActionFailures.inc({ rule, action });
      this.opts.log.error('VES publisher is not keeping up; rule action dropped', { rule, queued: this.queued });
      return;
    }
    this.queued += 1;
    this.queue = this.queue
      .then(() => work(publisher))
      .catch((err: unknown) => {
        this.opts.metrics?.ruleActionFailures.inc({ rule, action });
        this.opts.log.error('VES event not stored', { rule, sourceName, error: (err as Error).message });
      })
      .finally(() => {
        this.queued -= 1;
      });
  }

  private runEscAction(rule: Rule, action: RuleAction, event: DriverEvent): void {
    const name = 'vmAction' in action ? 'vmAction' : 'recoveryVmAction';
    const esc = event.kind === 'escEvent' ? event : undefined;
    if (!esc?.vnf || !esc.escVmName) {
      this.opts.log.warn('rule ESC action skipped: the event names no VM of a VNF of ours', { rule: rule.name, action: name });
      return;
    }
    const port = this.escActions;
    if (!port) {
      this.opts.log.warn('rule ESC action skipped: no ESC southbound', { rule: rule.name, action: name });
      return;
    }
    const { vnfmId } = esc.vnf;
    const vm = esc.escVmName;
    const started =
      'vmAction' in action ? port.vmAction(vnfmId, vm, action.vmAction.action, action.vmAction.force) : port.recoveryVmAction(vnfmId, vm);
    const done = started.then(
      () => {
        this.opts.log.info('rule asked ESC to act on a VM', { rule: rule.name, action: name, vm, vnfInstanceId: esc.vnf?.vnfInstanceId });
      },
      (err: unknown) => {
        this.opts.metrics?.ruleActionFailures.inc({ rule: rule.name, action: name });
        this.opts.log.error('rule ESC action failed', { rule: rule.name, action: name, vm, error: (err as Error).message });
      },
    );
    this.pendingEsc.add(done);
    void done.finally(() => this.pendingEsc.delete(done));
  }
}
