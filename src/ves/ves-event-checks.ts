/*
 * What a VES 7.2.1 collector requires of an event (Common Event Format 30.2.1): the required fields of
 * commonEventHeader, faultFields and notificationFields, their types and enumerations, and no unknown field in
 * those objects. One implementation for every place that receives VES events (the standalone sink, tests).
 * faultFields and notificationFields are checked wherever they appear, whatever the domain; the other domains'
 * field blocks are accepted as objects without looking inside. Stricter than the schema in one place: the block of
 * the header's domain must be there (a fault without faultFields says nothing a collector can use).
 */

type Json = Record<string, unknown>;

const DOMAINS: Record<string, string> = {
  fault: 'faultFields',
  heartbeat: 'heartbeatFields',
  measurement: 'measurementFields',
  mobileFlow: 'mobileFlowFields',
  notification: 'notificationFields',
  other: 'otherFields',
  perf3gpp: 'perf3gppFields',
  pnfRegistration: 'pnfRegistrationFields',
  sipSignaling: 'sipSignalingFields',
  stateChange: 'stateChangeFields',
  stndDefined: 'stndDefinedFields',
  syslog: 'syslogFields',
  thresholdCrossingAlert: 'thresholdCrossingAlertFields',
  voiceQuality: 'voiceQualityFields',
};

type FieldKind = 'string' | 'number' | 'integer' | 'object' | 'hashMap' | 'namedHashMaps' | readonly string[];

interface Block {
  fields: Record<string, FieldKind>;
  required: readonly string[];
}

const HEADER: Block = {
  fields: {
    domain: Object.keys(DOMAINS),
    eventId: 'string',
    eventName: 'string',
    eventType: 'string',
    internalHeaderFields: 'object',
    lastEpochMicrosec: 'number',
    nfcNamingCode: 'string',
    nfNamingCode: 'string',
    nfVendorName: 'string',
    priority: ['High', 'Medium', 'Normal', 'Low'],
    reportingEntityId: 'string',
    reportingEntityName: 'string',
    sequence: 'integer',
    sourceId: 'string',
    sourceName: 'string',
    startEpochMicrosec: 'number',
    stndDefinedNamespace: 'string',
    timeZoneOffset: 'string',
    version: ['4.0', '4.0.1', '4.1'],
    vesEventListenerVersion: ['7.0', '7.0.1', '7.1', '7.1.1', '7.2', '7.2.1'],
  },
  required: [
    'domain',
    'eventId',
    'eventName',
    'lastEpochMicrosec',
    'priority',
    'reportingEntityName',
    'sequence',
    'sourceName',
    'startEpochMicrosec',
    'version',
    'vesEventListenerVersion',
  ],
};

const FAULT: Block = {
  fields: {
    alarmAdditionalInformation: 'hashMap',
    alarmCondition: 'string',
    alarmInterfaceA: 'string',
    eventCategory: 'string',
    eventSeverity: ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'NORMAL'],
    eventSourceType: 'string',
    faultFieldsVersion: ['4.0'],
    specificProblem: 'string',
    vfStatus: ['Active', 'Idle', 'Preparing to terminate', 'Ready to terminate', 'Requesting termination'],
  },
  required: ['alarmCondition', 'eventSeverity', 'eventSourceType', 'faultFieldsVersion', 'specificProblem', 'vfStatus'],
};

const NOTIFICATION: Block = {
  fields: {
    additionalFields: 'hashMap',
    arrayOfNamedHashMap: 'namedHashMaps',
    changeContact: 'string',
    changeIdentifier: 'string',
    changeType: 'string',
    newState: 'string',
    oldState: 'string',
    notificationFieldsVersion: ['2.0'],
    stateInterface: 'string',
  },
  required: ['changeIdentifier', 'changeType', 'notificationFieldsVersion'],
};

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindProblem(value: unknown, kind: FieldKind): string | undefined {
  if (Array.isArray(kind)) return kind.includes(value) ? undefined : `must be one of ${kind.join('|')}`;
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'integer':
      return Number.isInteger(value) ? undefined : 'must be an integer';
    case 'object':
      return isObject(value) ? undefined : 'must be an object';
    case 'hashMap':
      return isObject(value) && Object.values(value).every((v) => typeof v === 'string') ? undefined : 'must be an object of strings';
    case 'namedHashMaps':
      return Array.isArray(value) &&
        value.every(
          (m) =>
            isObject(m) && typeof m.name === 'string' && kindProblem(m.hashMap, 'hashMap') === undefined && Object.keys(m).length === 2,
        )
        ? undefined
        : 'must be an array of {name, hashMap}';
    default:
      return undefined;
  }
}

function blockProblems(value: unknown, block: Block, at: string): string[] {
  if (!isObject(value)) return [`${at} must be an object`];
  const problems: string[] = [];
  for (const name of block.required) if (!(name in value)) problems.push(`${at}.${name} is required`);
  for (const [name, v] of Object.entries(value)) {
    const kind = block.fields[name];
    if (kind === undefined) {
      problems.push(`${at}.${name} is not a field of ${at.split('.').pop() ?? at}`);
      continue;
    }
    const problem = kindProblem(v, kind);
    if (problem) problems.push(`${at}.${name} ${problem}`);
  }
  return problems;
}

/** Problems of one event (`{commonEventHeader, <domain>Fields}`), each naming the field and the reason; [] when valid. */
export function vesEventProblems(event: unknown, at = 'event'): string[] {
  if (!isObject(event)) return [`${at} must be an object`];
  const known = new Set(['commonEventHeader', ...Object.values(DOMAINS)]);
  const problems = Object.keys(event)
    .filter((k) => !known.has(k))
    .map((k) => `${at}.${k} is not a field of an event`);
  if (!('commonEventHeader' in event)) return [...problems, `${at}.commonEventHeader is required`];
  problems.push(...blockProblems(event.commonEventHeader, HEADER, `${at}.commonEventHeader`));
  const domain = isObject(event.commonEventHeader) ? event.commonEventHeader.domain : undefined;
  const fieldsName = typeof domain === 'string' ? DOMAINS[domain] : undefined;
  if (fieldsName !== undefined && !(fieldsName in event)) problems.push(`${at}.${fieldsName} is required for domain ${String(domain)}`);
  // Every block present is checked, whatever the domain: the schema validates each one it finds.
  if ('faultFields' in event) problems.push(...blockProblems(event.faultFields, FAULT, `${at}.faultFields`));
  if ('notificationFields' in event) problems.push(...blockProblems(event.notificationFields, NOTIFICATION, `${at}.notificationFields`));
  for (const name of Object.values(DOMAINS))
    if (name !== 'faultFields' && name !== 'notificationFields' && name in event && !isObject(event[name]))
      problems.push(`${at}.${name} must be an object`);
  return problems;
}

/** The events of a request body and their problems: `{event}` on `/eventListener/v7`, `{eventList: [...]}` on `/eventBatch`. */
export function vesRequestProblems(body: unknown, batch: boolean): { events: unknown[]; problems: string[] } {
  const key = batch ? 'eventList' : 'event';
  if (!isObject(body)) return { events: [], problems: ['body must be a JSON object'] };
  const extra = Object.keys(body).filter((k) => k !== key);
  if (extra.length) return { events: [], problems: extra.map((k) => `${k} is not expected (the body holds ${key} only)`) };
  if (!batch) return { events: [body.event], problems: vesEventProblems(body.event) };
  const list = body.eventList;
  if (!Array.isArray(list) || list.length === 0) return { events: [], problems: ['eventList must be a non-empty array'] };
  return { events: list, problems: list.flatMap((e, i) => vesEventProblems(e, `eventList[${i}]`)) };
}
