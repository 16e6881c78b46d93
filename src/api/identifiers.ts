import { HttpError } from './http-errors';

/**
 * The pattern every identifier must match where it enters the driver (vnfmid, vnfInstanceId, jobId in the
 * path; vnfPackageId, vnfDescriptorId, aspectId and VM ids in bodies): 1 to 255 characters out of letters,
 * digits and `. _ ~ : @ + -`, and neither `.` nor `..` alone. So an identifier never holds `/`, `%`, `?`, `#`,
 * a blank or a control character, and cannot climb out of the path of a URL built from it.
 */
export const ID_PATTERN = /^(?!\.\.?$)[A-Za-z0-9._~:@+-]{1,255}$/;

/** Why an identifier is refused, as the answer's detail says it. */
export const ID_RULE = '1-255 characters of A-Z a-z 0-9 . _ ~ : @ + -, not "." or ".."';

/** Message of a DTO field that must match {@link ID_PATTERN}. */
export const ID_MESSAGE = `$property must be ${ID_RULE}`;

/** Throws 400 naming `field` unless `value` matches {@link ID_PATTERN}. */
export function requireId(field: string, value: unknown): string {
  if (typeof value === 'string' && ID_PATTERN.test(value)) return value;
  throw new HttpError(400, `invalid request: ${field}`, [{ field, reason: `${field} must be ${ID_RULE}` }]);
}
