/** Spellings of a boolean setting, each meaning exactly one value; anything else is an error. */
const VALUES: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
  ['yes', true],
  ['no', false],
]);

/**
 * Parses a boolean setting strictly: `true`/`false` (also `1`/`0`, `yes`/`no`), lowercase, no surrounding blanks.
 * Anything else (`ture`, `TRUE`, `on`, ` true`) throws, so that a misspelt flag stops the service instead of
 * silently meaning off.
 */
export function parseBooleanSetting(raw: string): boolean {
  const value = VALUES.get(raw);
  if (value === undefined) throw new Error(`must be true or false, got "${raw}"`);
  return value;
}
