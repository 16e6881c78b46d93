import { Transform } from 'class-transformer';
import type { ErrorDetail } from '../http-errors';
import { checkJsonBounds, type JsonLimits } from '../json-bounds';

/** Characters that must never appear in names and ids (they would need escaping in ESC XML). */
// eslint-disable-next-line no-control-regex -- the class lists the control characters in order to refuse them
export const SAFE_TEXT = /^[^<>&"'\u0000-\u001f\u007f]*$/;
/** Message for SAFE_TEXT violations. */
export const SAFE_TEXT_MESSAGE = '$property must not contain < > & " \' or control characters';

/** Accepts an integer or a numeric string (NSLCM sends both); anything else is left for the validator to reject. */
export const NumericString = (): PropertyDecorator =>
  Transform(({ value }): unknown => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value));

/** Upper-cases a string enum value (NSLCM varies the case). */
export const UpperCase = (): PropertyDecorator =>
  Transform(({ value }): unknown => (typeof value === 'string' ? value.trim().toUpperCase() : value));

/**
 * Replaces `obj[key]` by its parsed value when it is a JSON string (NSLCM sends `vimId` and `properties` so:
 * docs/nslcm-contract.md).
 * An unparseable string is reported in `errors` under `path`; the parsed value is held to the same
 * {@link JsonLimits} as the body (a 400/413 HttpError when beyond them).
 */
export function parseJsonField(obj: Record<string, unknown>, key: string, path: string, errors: ErrorDetail[], limits: JsonLimits): void {
  const v = obj[key];
  if (typeof v !== 'string') return;
  if (v.trim() === '') {
    delete obj[key];
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(v) as unknown;
  } catch {
    errors.push({ field: path, reason: `${path} is a string but not valid JSON` });
    return;
  }
  checkJsonBounds(parsed, limits, path);
  obj[key] = parsed;
}

/** True for a plain JSON object. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
