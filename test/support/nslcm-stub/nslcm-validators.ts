/**
 * Validation of grant and Notify bodies as NSLCM's serializers apply it (docs/nslcm-contract.md §5 "Grant request",
 * "Notify request"): required fields, exact enums, all lists present, plain-string additionalParam values. Extra fields are ignored.
 * Each function returns the list of problems; empty means valid.
 */

export const OPERATIONS = ['Terminate', 'Instantiate', 'Scalein', 'Scaleout', 'Scaledown', 'Scaleup', 'Heal'];
const UPPER_STATUS = ['START', 'RESULT'];
const UPPER_CHANGE = ['ADDED', 'MODIFIED', 'REMOVED', 'TEMPORARY'];

/** Enum spelling the stub expects in Notify bodies. */
export type StubDialect = 'uppercase' | 'lowercase';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

function optText(o: Obj, key: string, where: string, errs: string[]): void {
  const v = o[key];
  if (v === undefined || v === null || typeof v === 'string') return;
  errs.push(`${where}.${key}: not a valid string`);
}

function requireEnum(o: Obj, key: string, allowed: readonly string[], where: string, errs: string[]): void {
  const v = o[key];
  if (v === undefined || v === null) errs.push(`${where}.${key}: this field is required`);
  else if (typeof v !== 'string' || !allowed.includes(v)) errs.push(`${where}.${key}: ${JSON.stringify(v)} is not a valid choice`);
}

function requireList(o: Obj, key: string, errs: string[]): unknown[] {
  const v = o[key];
  if (v === undefined || v === null) errs.push(`${key}: this field is required`);
  else if (!Array.isArray(v)) errs.push(`${key}: expected a list of items`);
  return Array.isArray(v) ? v : [];
}

/** `POST /api/nslcm/v1/ns/grantvnf` body problems. */
export function validateGrant(body: unknown): string[] {
  const errs: string[] = [];
  if (!isObj(body)) return ['body: expected a JSON object'];
  if (typeof body.vnfInstanceId !== 'string' || !body.vnfInstanceId) errs.push('vnfInstanceId: this field is required');
  optText(body, 'vnfDescriptorId', 'grant', errs);
  optText(body, 'jobId', 'grant', errs);
  requireEnum(body, 'lifecycleOperation', OPERATIONS, 'grant', errs);
  for (const key of ['addResource', 'removeResource']) {
    requireList(body, key, errs).forEach((item, i) => {
      const where = `${key}[${i}]`;
      if (!isObj(item)) return void errs.push(`${where}: expected an object`);
      requireEnum(item, 'type', ['VDU'], where, errs);
      optText(item, 'vdu', where, errs);
      optText(item, 'resourceDefinitionId', where, errs);
    });
  }
  const ap = body.additionalParam;
  if (ap !== undefined && ap !== null) {
    if (!isObj(ap)) errs.push('additionalParam: expected a dictionary');
    else for (const [k, v] of Object.entries(ap)) if (typeof v !== 'string') errs.push(`additionalParam.${k}: not a valid string`);
  }
  return errs;
}

/** `POST /api/nslcm/v1/ns/{vnfmid}/vnfs/{id}/Notify` body problems. */
export function validateNotify(body: unknown, dialect: StubDialect = 'uppercase'): string[] {
  const errs: string[] = [];
  if (!isObj(body)) return ['body: expected a JSON object'];
  const lower = (l: string[]): string[] => (dialect === 'lowercase' ? l.map((s) => s.toLowerCase()) : l);
  const change = lower(UPPER_CHANGE);
  requireEnum(body, 'status', lower(UPPER_STATUS), 'notify', errs);
  requireEnum(body, 'operation', OPERATIONS, 'notify', errs);
  optText(body, 'jobId', 'notify', errs);
  optText(body, 'vnfdmodule', 'notify', errs);
  eachItem(body, 'affectedVnfc', errs, (item, where) => {
    requireEnum(item, 'changeType', change, where, errs);
    for (const k of ['vnfcInstanceId', 'vduId', 'vimId', 'vmId', 'vmName']) optText(item, k, where, errs);
  });
  eachItem(body, 'affectedVl', errs, (item, where) => {
    requireEnum(item, 'changeType', change, where, errs);
    for (const k of ['vlInstanceId', 'vldId']) optText(item, k, where, errs);
    const nr = item.networkResource;
    if (nr === undefined || nr === null) return;
    if (!isObj(nr)) return void errs.push(`${where}.networkResource: expected an object`);
    requireEnum(nr, 'resourceType', ['network', 'port'], `${where}.networkResource`, errs);
    for (const k of ['resourceId', 'resourceName']) optText(nr, k, `${where}.networkResource`, errs);
  });
  eachItem(body, 'affectedCp', errs, (item, where) => {
    requireEnum(item, 'changeType', change, where, errs);
    for (const k of ['virtualLinkInstanceId', 'cpInstanceId', 'cpdId', 'ownerId']) optText(item, k, where, errs);
    if (item.ownerType !== undefined && item.ownerType !== null && !['string', 'number'].includes(typeof item.ownerType)) {
      errs.push(`${where}.ownerType: not a valid string`);
    }
    const pr = item.portResource;
    if (pr === undefined || pr === null) return;
    if (!isObj(pr)) return void errs.push(`${where}.portResource: expected an object`);
    for (const k of ['vimId', 'resourceId', 'resourceName', 'tenant', 'ipAddress', 'macAddress', 'instId']) {
      optText(pr, k, `${where}.portResource`, errs);
    }
  });
  eachItem(body, 'affectedVirtualStorage', errs, () => undefined);
  return errs;
}

function eachItem(body: Obj, key: string, errs: string[], check: (item: Obj, where: string) => void): void {
  requireList(body, key, errs).forEach((item, i) => {
    if (!isObj(item)) errs.push(`${key}[${i}]: expected an object`);
    else check(item, `${key}[${i}]`);
  });
}
