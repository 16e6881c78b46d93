/** The demo walk stopped: the driver is unreachable, answered unexpectedly, or a job ended in error. */
export class DemoError extends Error {
  /**
   * @param step the walk step that failed, e.g. `instantiate`
   */
  constructor(
    readonly step: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${step}: ${message}`, options);
    this.name = 'DemoError';
  }
}
