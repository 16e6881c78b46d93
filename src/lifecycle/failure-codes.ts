import {
  EscConnectionRefusedError,
  EscDeadlineError,
  EscDeploymentGoneError,
  EscEventFailureError,
  EscOperationError,
  EscRejectedError,
  EscRequestError,
  EscUnreachableError,
} from '../esc/esc-errors';
import { GrantRefusedError, NslcmError } from '../nslcm/nslcm-errors';
import { JobDeadlineError } from './lifecycle-errors';

/**
 * The `errorCode` of a failed job: one integer per failure class, so that NSLCM and operators can tell them apart
 * without parsing statusDescription. The README lists the same table; the numbers never change meaning.
 */
export const FAILURE_CODES = {
  /** Anything not classed below (a defect of the driver). */
  INTERNAL: 1,
  /** NSLCM refused the grant (409). */
  GRANT_REFUSED: 10,
  /** A call to NSLCM or the catalog failed (grant, package, VIM or VNFM lookup). */
  NSLCM_FAILED: 11,
  /** The VNF package's VNFD cannot be read or mapped to an ESC deployment. */
  VNFD_UNUSABLE: 20,
  /** The request cannot be carried out on this VNF (unknown aspect, bounds, VM not found, no ESC deployment…). */
  REQUEST_NOT_APPLICABLE: 21,
  /** ESC answered an edit-config with an rpc-error. */
  ESC_REJECTED: 30,
  /** ESC ended its workflow with FAILURE, or its opdata shows the deployment in error. */
  ESC_FAILED: 31,
  /** ESC could not be reached until the operation's deadline. */
  ESC_UNREACHABLE: 32,
  /** ESC refused the login or its host key was not accepted. */
  ESC_LOGIN_REFUSED: 33,
  /** ESC no longer holds the deployment the operation works on. */
  DEPLOYMENT_GONE: 34,
  /** The operation's deadline passed while waiting for ESC. */
  DEADLINE: 40,
} as const;

/** Steps whose failure means the VNFD cannot be used. */
const VNFD_STEPS = new Set(['read VNFD', 'map VNFD']);

/** The failure class of what a job threw. */
export function failureCodeOf(err: unknown): number {
  if (err instanceof JobDeadlineError || err instanceof EscDeadlineError) return FAILURE_CODES.DEADLINE;
  if (err instanceof EscUnreachableError) return FAILURE_CODES.ESC_UNREACHABLE;
  if (err instanceof EscConnectionRefusedError) return FAILURE_CODES.ESC_LOGIN_REFUSED;
  if (err instanceof EscRejectedError) return FAILURE_CODES.ESC_REJECTED;
  if (err instanceof EscEventFailureError) return FAILURE_CODES.ESC_FAILED;
  if (err instanceof EscDeploymentGoneError) return FAILURE_CODES.DEPLOYMENT_GONE;
  if (err instanceof EscRequestError) return FAILURE_CODES.REQUEST_NOT_APPLICABLE;
  if (err instanceof EscOperationError) {
    const cause = err.cause;
    if (cause instanceof GrantRefusedError) return FAILURE_CODES.GRANT_REFUSED;
    if (VNFD_STEPS.has(err.step)) return FAILURE_CODES.VNFD_UNUSABLE;
    if (cause instanceof NslcmError) return FAILURE_CODES.NSLCM_FAILED;
    const code = (cause as { code?: unknown } | undefined)?.code;
    if (code === 'AUTH' || code === 'HOST_KEY') return FAILURE_CODES.ESC_LOGIN_REFUSED;
    return failureCodeOf(cause);
  }
  if (err instanceof NslcmError) return FAILURE_CODES.NSLCM_FAILED;
  return FAILURE_CODES.INTERNAL;
}
