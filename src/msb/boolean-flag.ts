/** The only spellings that mean "yes" (issue #6: "parse exactly: only true/1/yes mean yes"). */
const YES = new Set(['true', '1', 'yes']);

/**
 * Parses an on/off environment flag such as `MSB_REGISTER`, strictly: exactly `true`, `1` or `yes`
 * (lowercase, no surrounding blanks) mean yes; anything else, including `TRUE`, `Yes`, ` true`,
 * `on` and an unset variable, means no. Strict so that a flag is never switched on by accident.
 */
export function parseBooleanFlag(value: string | undefined): boolean {
  return value !== undefined && YES.has(value);
}
