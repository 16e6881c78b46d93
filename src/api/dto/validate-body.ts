import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { HttpError, type ErrorDetail } from '../http-errors';

/** Flattens class-validator errors into `{field, reason}` with dotted paths (`extVirtualLink.0.cpdId`). */
export function flattenErrors(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const reason of Object.values(e.constraints ?? {})) out.push({ field, reason });
    if (e.children?.length) out.push(...flattenErrors(e.children, field));
  }
  return out;
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
  const details = [...preErrors, ...flattenErrors(validateSync(dto, { forbidUnknownValues: false, stopAtFirstError: true }))];
  if (details.length > 0) {
    const fields = [...new Set(details.map((d) => d.field))];
    throw new HttpError(400, `invalid request: ${fields.join(', ')}`, details);
  }
  return dto;
}
