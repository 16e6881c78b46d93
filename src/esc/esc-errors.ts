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
  constructor(ctx: EscErrorContext, waitingFor?: string) {
    super(
      `ESC no longer holds deployment ${ctx.deployment ?? '(unknown)'} (tenant ${ctx.tenant ?? '(unknown)'})` +
        (waitingFor ? ` while waiting for ${waitingFor}` : ''),
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

/** ESC answered an edit-config with an rpc-error: the request was refused and nothing was started. */
export class EscRejectedError extends EscOperationError {
  constructor(what: string, cause: Error, ctx: EscErrorContext) {
    super(`ESC rejected ${what}: ${cause.message}`, { ...ctx, cause });
    this.name = 'EscRejectedError';
  }
}

/** ESC could not be reached (connection refused, link lost, timed out) for as long as the operation could wait. */
export class EscUnreachableError extends EscOperationError {
  constructor(what: string, cause: Error, ctx: EscErrorContext) {
    super(`ESC${ctx.escHost ? ` ${ctx.escHost}` : ''} unreachable during ${what}: ${describeLinkError(cause)}`, { ...ctx, cause });
    this.name = 'EscUnreachableError';
  }
}

/**
 * True when a call's answer was lost or never possible (timeout, closed session, broken transport, refused
 * connection): its outcome is unknown and the step must look at ESC's opdata. False for an rpc-error (ESC
 * answered) and for a refused login or host key (retrying cannot help).
 */
export function isLinkError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (code === 'RPC_ERROR' || code === 'AUTH' || code === 'HOST_KEY' || code === 'PROTOCOL') return false;
  if (code === 'TIMEOUT' || code === 'CLOSED' || code === 'TRANSPORT' || code === 'FRAMING') return true;
  // Socket errors below the NETCONF layer while opening a session.
  return typeof code === 'string' && SOCKET_ERRORS.has(code);
}

const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * What happened to a call whose answer never came: `timed out` (no reply within the RPC timeout), `link lost`
 * (the session closed or the transport broke) or `unreachable` (no session could be opened).
 */
export function describeLinkError(err: Error): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'TIMEOUT') return `timed out (${err.message})`;
  if (code === 'CLOSED' || code === 'TRANSPORT' || code === 'FRAMING') return `link lost (${err.message})`;
  return `unreachable (${err.message})`;
}
