/** One thing a VNFD (or the request around it) lacks for ESC, tied to the VDU it concerns. */
export interface MappingProblem {
  /** VDU the problem belongs to; absent for VNF-level problems. */
  vduId?: string;
  /** The VNFD field or input key at fault, e.g. `image`, `cps[1].network`. */
  field: string;
  message: string;
}

/**
 * Raised before anything is sent to ESC when the VNFD cannot become an `esc_datamodel` deployment.
 * Lists every problem at once so the job's `statusDescription` says all that is missing.
 */
export class VnfdMappingError extends Error {
  readonly code = 'VNFD_MAPPING';
  constructor(readonly problems: MappingProblem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'VnfdMappingError';
  }
}

/** Raised when a vnfdModel is neither JSON, an object, nor a Python literal. */
export class VnfdParseError extends Error {
  readonly code = 'VNFD_PARSE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VnfdParseError';
  }
}
