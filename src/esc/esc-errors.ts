/**
 * Errors raised while driving ESC. Each carries the step that failed and enough ids (ESC host,
 * tenant, deployment, job) to find the operation in the logs; none carries a password.
 */

/** Where in an operation a failure happened. */
export interface EscErrorContext {
  /** The step of the operation, e.g. `deploy`, `wait SERVICE_ALIVE`, `grant`. */
  step: string;
  /** `host:port` of the ESC, when known. */
  escHost?: string;
  tenant?: string;
  deployment?: string;
  jobId?: string;
  vnfInstanceId?: string;
  cause?: unknown;
}

/** Base class: an ESC operation failed at `step`. The message is what NSLCM sees as statusDescription. */
export class EscOperationError extends Error {
  readonly step: string;
  readonly escHost?: string;
  readonly tenant?: string;
  readonly deployment?: string;
  readonly jobId?: string;
  readonly vnfInstanceId?: string;

  constructor(message: string, ctx: EscErrorContext) {
    super(message, { cause: ctx.cause });
    this.name = 'EscOperationError';
    this.step = ctx.step;
    this.escHost = ctx.escHost;
    this.tenant = ctx.tenant;
    this.deployment = ctx.deployment;
    this.jobId = ctx.jobId;
    this.vnfInstanceId = ctx.vnfInstanceId;
  }

  /** Context fields for a log line. */
  toLogMeta(): Record<string, unknown> {
    return {
      step: this.step,
      escHost: this.escHost,
      tenant: this.tenant,
      deployment: this.deployment,
      jobId: this.jobId,
      vnfInstanceId: this.vnfInstanceId,
    };
  }
}

/** ESC reported a FAILURE escEvent; `escMessage` is ESC's status_message. */
export class EscEventFailureError extends EscOperationError {
  readonly eventType: string;
  readonly escMessage: string;

  constructor(eventType: string, escMessage: string, ctx: EscErrorContext) {
    super(`ESC reported ${eventType} FAILURE during ${ctx.step}: ${escMessage || 'no status message'}`, ctx);
    this.name = 'EscEventFailureError';
    this.eventType = eventType;
    this.escMessage = escMessage;
  }
}

/** ESC no longer holds the deployment a step was waiting on (undeployed by someone else, or lost by ESC). */
export class EscDeploymentGoneError extends EscOperationError {
  constructor(waitingFor: string, ctx: EscErrorContext) {
    super(
      `ESC no longer holds deployment ${ctx.deployment ?? '(unknown)'} (tenant ${ctx.tenant ?? '(unknown)'}) while waiting for ${waitingFor}`,
      ctx,
    );
    this.name = 'EscDeploymentGoneError';
  }
}

/** The operation's deadline passed while waiting for ESC. */
export class EscDeadlineError extends EscOperationError {
  readonly waitingFor: string;
  readonly timeoutMs: number;

  constructor(waitingFor: string, timeoutMs: number, ctx: EscErrorContext) {
    const where = ctx.escHost ? ` on ESC ${ctx.escHost}` : '';
    super(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${waitingFor}${where}`, ctx);
    this.name = 'EscDeadlineError';
    this.waitingFor = waitingFor;
    this.timeoutMs = timeoutMs;
  }
}

/** The wait was abandoned because the job was aborted (service shutting down). */
export class EscAbortedError extends EscOperationError {
  constructor(ctx: EscErrorContext) {
    super(`aborted during ${ctx.step}`, ctx);
    this.name = 'EscAbortedError';
  }
}

/** ESC refused the NETCONF session for good (wrong credentials or a rejected host key): retrying cannot fix it. */
export class EscConnectionRefusedError extends EscOperationError {
  /** AUTH or HOST_KEY. */
  readonly reason: string;

  constructor(cause: Error, ctx: EscErrorContext) {
    const reason = (cause as { code?: string }).code ?? 'REFUSED';
    const what = reason === 'AUTH' ? 'authentication failed' : reason === 'HOST_KEY' ? 'host key not accepted' : 'refused';
    const where = ctx.escHost ? ` ${ctx.escHost}` : '';
    super(`ESC${where} connection lost during ${ctx.step} and not retried (${what}): ${cause.message}`, { ...ctx, cause });
    this.name = 'EscConnectionRefusedError';
    this.reason = reason;
  }
}

/** The request cannot be carried out as asked (unknown aspect, VM not found, bounds exceeded…). */
export class EscRequestError extends EscOperationError {
  constructor(message: string, ctx: EscErrorContext) {
    super(message, ctx);
    this.name = 'EscRequestError';
  }
}
