/** Errors of standalone mode (local files standing in for NSLCM, the catalog and ESC). */

/** A file under `config/standalone/` is missing or does not have the expected shape. */
export class StandaloneConfigError extends Error {
  readonly code = 'STANDALONE_CONFIG_INVALID';

  /**
   * @param file the file at fault, relative to the standalone configuration directory
   * @param problems one line per problem, naming the field
   */
  constructor(
    readonly file: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(`standalone configuration ${file}: ${problems.join('; ')}`, options);
    this.name = 'StandaloneConfigError';
  }
}
