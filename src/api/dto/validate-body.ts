import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { HttpError, type ErrorDetail } from '../http-errors';

/** Most problems one error answer lists (the rest are counted in its message). */
export const MAX_ERROR_DETAILS = 50;

/**
 * Flattens class-validator errors into `{field, reason}` with dotted paths (`extVirtualLink.0.cpdId`), in
 * order, depth first. Iterative and appending one item at a time, so that neither deep nesting nor a long
 * list of invalid items can exceed the stack or the number of arguments a call takes.
 */
export function flattenErrors(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const stack: { error: ValidationError; prefix: string }[] = [];
  for (let i = errors.length - 1; i >= 0; i--) stack.push({ error: errors[i], prefix });
  while (stack.length > 0) {
    const { error: e, prefix: at } = stack.pop()!;
    const field = at ? `${at}.${e.property}` : e.property;
    for (const reason of Object.values(e.constraints ?? {})) out.push({ field, reason });
    const children = e.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ error: children[i], prefix: field });
  }
  return out;
}

/** The 400 for a list of problems: the first {@link MAX_ERROR_DETAILS} are listed, the message names their fields. */
export function invalidRequest(details: ErrorDetail[]): HttpError {
  const shown = details.length > MAX_ERROR_DETAILS ? details.slice(0, MAX_ERROR_DETAILS) : details;
  const fields = [...new Set(shown.map((d) => d.field))];
  const more = details.length > shown.length ? ` (and ${details.length - shown.length} more problems)` : '';
  return new HttpError(400, `invalid request: ${fields.join(', ')}${more}`, shown);
}

/** Throws 400 when the body is not a JSON object. */
export function requireObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'request body must be a JSON object (Content-Type: application/json)', [
      { field: 'body', reason: 'must be a JSON object' },
    ]);
  }
  return body as Record<string, unknown>;
}

/**
 * Converts and validates a body against a DTO class; extra fields are tolerated (NSLCM adds some: docs/nslcm-contract.md).
 * `preErrors` are problems found while normalising (e.g. unparseable JSON strings) and are reported together.
 */
export function validateBody<T extends object>(cls: ClassConstructor<T>, body: Record<string, unknown>, preErrors: ErrorDetail[] = []): T {
  const dto = plainToInstance(cls, body);
  const details = preErrors.concat(flattenErrors(validateSync(dto, { forbidUnknownValues: false, stopAtFirstError: true })));
  if (details.length > 0) throw invalidRequest(details);
  return dto;
}
