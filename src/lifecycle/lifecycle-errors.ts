/** Stable codes of the lifecycle errors; the API maps each to an HTTP status. */
export type LifecycleErrorCode =
  'SOUTHBOUND_UNAVAILABLE' | 'VNF_NOT_FOUND' | 'JOB_NOT_FOUND' | 'OPERATION_IN_PROGRESS' | 'VNF_NOT_OPERABLE' | 'REQUEST_NOT_APPLICABLE';

/** A use case refused a request; `field` names the offending input (for the error details). */
export class LifecycleError extends Error {
  constructor(
    readonly code: LifecycleErrorCode,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LifecycleError';
  }
}

/** Raised inside a job when its deadline passes (JOB_DEADLINE_SECONDS). */
export class JobDeadlineError extends Error {
  readonly code = 'DEADLINE_EXCEEDED';
  constructor(
    readonly jobId: string,
    readonly seconds: number,
  ) {
    super(`operation did not complete within ${seconds} s`);
    this.name = 'JobDeadlineError';
  }
}

/** The abort reason used when the service shuts down; such jobs are resumed at the next start. */
export class ShutdownAbort extends Error {
  readonly code = 'SHUTDOWN';
  constructor() {
    super('service is shutting down');
    this.name = 'ShutdownAbort';
  }
}

/** Why a job run is stopped when this replica no longer owns the job: it writes nothing more, its new owner goes on. */
export class OwnershipLost extends Error {
  readonly code = 'OWNERSHIP_LOST';
  constructor(
    readonly jobId: string,
    readonly reason: string,
  ) {
    super(`job ${jobId} is no longer owned by this replica: ${reason}`);
    this.name = 'OwnershipLost';
  }
}
