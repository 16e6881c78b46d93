import type { NotifyBody } from './nslcm-types';

/**
 * Spelling of Notify enums. `uppercase` is what NSLCM accepts since April 2019 (START/RESULT,
 * ADDED/REMOVED/MODIFIED/TEMPORARY); `lowercase` is what earlier releases took (start/result, added/…).
 */
export type EnumDialect = 'uppercase' | 'lowercase';

/** Notify `status` in the given dialect. */
export function mapStatus(status: 'START' | 'RESULT', dialect: EnumDialect): string {
  return dialect === 'lowercase' ? status.toLowerCase() : status;
}

/** `changeType` in the given dialect. */
export function mapChangeType(changeType: 'ADDED' | 'REMOVED' | 'MODIFIED' | 'TEMPORARY', dialect: EnumDialect): string {
  return dialect === 'lowercase' ? changeType.toLowerCase() : changeType;
}

/**
 * Lifecycle operation in the given dialect. Both dialects spell it `Instantiate`, `Scaleout`, … (only
 * status and changeType changed case in 2019); the `Terminal` of older texts, which NSLCM refuses, is never produced
 * (docs/nslcm-contract.md §5 "Grant request").
 */
export function mapOperation<T extends string>(operation: T, _dialect: EnumDialect): T {
  return operation;
}

/**
 * Returns a copy of a Notify body built with uppercase enums, translated to `dialect`
 * (status and every `changeType` in the four affected arrays).
 */
export function applyNotifyDialect(body: NotifyBody, dialect: EnumDialect): NotifyBody {
  if (dialect === 'uppercase') return body;
  const lower = <T extends { changeType: string }>(items: T[]): T[] => items.map((i) => ({ ...i, changeType: i.changeType.toLowerCase() }));
  return {
    ...body,
    status: body.status.toLowerCase(),
    affectedVnfc: lower(body.affectedVnfc),
    affectedVl: lower(body.affectedVl),
    affectedCp: lower(body.affectedCp),
  };
}
