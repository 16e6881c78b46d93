import type { DriverEvent, VnfRef } from './driver-event';
import type { GroupKey, Rule, ThresholdField, ThresholdOperator } from './rule-model';

/** The VNF an event concerns, if any. */
export function vnfOf(event: DriverEvent): VnfRef | undefined {
  return event.kind === 'escUnreachable' || event.kind === 'escReachable' ? undefined : event.vnf;
}

/** True when `event` is of the rule's event kind, type and status, and passes its filter. */
export function matchesEvent(rule: Rule, event: DriverEvent): boolean {
  if (event.kind !== rule.event.kind) return false;
  if (event.kind === 'escEvent') {
    if (rule.event.types.length > 0 && !rule.event.types.includes(event.type)) return false;
    if (rule.event.statuses.length > 0 && !rule.event.statuses.includes(event.status)) return false;
  }
  const f = rule.filter;
  const vnf = vnfOf(event);
  const esc = event.kind === 'escEvent' ? event : undefined;
  const vm = event.kind === 'escEvent' || event.kind === 'vmRemoved' ? event : undefined;
  if (f.vnfInstanceId !== undefined && vnf?.vnfInstanceId !== f.vnfInstanceId) return false;
  if (f.healingOwner !== undefined && vnf?.healingOwner !== f.healingOwner) return false;
  if (f.deployment !== undefined && esc?.deployment !== f.deployment) return false;
  if (f.vdu !== undefined && vm?.vduId !== f.vdu && esc?.vmGroup !== f.vdu) return false;
  if (f.vm !== undefined && vm?.vmName !== f.vm && esc?.escVmName !== f.vm && vm?.vmId !== f.vm) return false;
  if (f.escHost !== undefined && (event.kind === 'escEvent' || event.kind === 'escUnreachable' || event.kind === 'escReachable')) {
    if (event.escHost !== f.escHost) return false;
  } else if (f.escHost !== undefined) return false;
  return true;
}

/** The numeric value of a threshold field for an event; undefined when the event has none. */
function numericField(event: DriverEvent, field: ThresholdField): number | undefined {
  if (field === 'statusCode') {
    const code = event.kind === 'escEvent' ? Number(event.statusCode) : NaN;
    return Number.isFinite(code) ? code : undefined;
  }
  if (event.kind !== 'reconcileDifference') return undefined;
  return field === 'addedCount' ? event.added.length : event.removed.length;
}

function compare(a: number, op: ThresholdOperator, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/** True when the rule has no threshold, or the event's field passes it (an event without the field does not). */
export function passesThreshold(rule: Rule, event: DriverEvent): boolean {
  const t = rule.trigger?.threshold;
  if (!t) return true;
  const value = numericField(event, t.field);
  return value !== undefined && compare(value, t.operator, t.value);
}

/** The window group of an event under `key` ('' when the event has no such part: one window for all of them). */
export function groupOf(event: DriverEvent, key: GroupKey): string {
  const esc = event.kind === 'escEvent' ? event : undefined;
  switch (key) {
    case 'vm':
      return event.kind === 'escEvent' || event.kind === 'vmRemoved' ? (event.vmId ?? event.vmName ?? '') : '';
    case 'vdu':
      return `${esc?.deployment ?? ''}/${esc?.vduId ?? esc?.vmGroup ?? ''}`;
    case 'deployment':
      return `${esc?.tenant ?? ''}/${esc?.deployment ?? ''}`;
    case 'vnf':
      return vnfOf(event)?.vnfInstanceId ?? '';
    case 'escHost':
      return 'escHost' in event ? event.escHost : '';
  }
}

/** Fills `{field}` placeholders of a text from the event (unknown or absent fields become empty). */
export function fillTemplate(text: string, event: DriverEvent, rule: string): string {
  const values = templateValues(event, rule);
  return text.replace(/\{(\w+)\}/g, (_m, k: string) => values[k] ?? '');
}

type Scalar = string | number | undefined;
/** The fields of `E` that hold a string or a number (or nothing). */
type ScalarKeys<E> = { [K in keyof E]-?: E[K] extends Scalar ? K : never }[keyof E] & string;

/** Name/value pairs describing an event (VES `details`, templates); strings only, absent parts left out. */
export function templateValues(event: DriverEvent, rule: string): Record<string, string> {
  const out: Record<string, string> = { rule, kind: event.kind };
  const put = (k: string, v: Scalar): void => {
    if (v !== undefined && v !== '') out[k] = String(v);
  };
  /** Puts each named field of `e` under its own name. */
  const putFields = <E>(e: E, keys: ReadonlyArray<ScalarKeys<E>>): void => {
    for (const k of keys) put(k, e[k] as Scalar);
  };
  putFields<Partial<VnfRef>>(vnfOf(event) ?? {}, ['vnfInstanceId', 'vnfInstanceName']);
  switch (event.kind) {
    case 'escEvent':
      putFields(event, [
        'type',
        'status',
        'statusCode',
        'statusMessage',
        'escHost',
        'tenant',
        'deployment',
        'vmGroup',
        'vduId',
        'vmName',
        'escVmName',
        'vmId',
        'targetVmId',
      ]);
      break;
    case 'escUnreachable':
      putFields(event, ['escHost', 'reason']);
      break;
    case 'escReachable':
      putFields(event, ['escHost']);
      break;
    case 'jobFailed':
      putFields(event, ['operation', 'jobId', 'errorCode', 'message']);
      break;
    case 'reconcileDifference':
      putFields(event, ['operation']);
      put('added', event.added.join(','));
      put('removed', event.removed.join(','));
      break;
    case 'vmRemoved':
      putFields(event, ['operation', 'vmName', 'vmId', 'vduId']);
      break;
    case 'vnfTerminated':
      putFields(event, ['jobId']);
      break;
  }
  return out;
}
