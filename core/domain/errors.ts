import { describeLocation, type ProblemLocation } from './problem.js';

/**
 * Every error crmsync raises carries a stable code (for programs) and says what failed and
 * where (for people). Codes read `CRMSYNC_ERR_<WHAT>`.
 */
export class CrmsyncError extends Error {
  readonly code: string;
  readonly location: ProblemLocation;
  /** The message without the location, for callers that show the location separately. */
  readonly reason: string;

  constructor(code: string, message: string, location: ProblemLocation = {}, options?: { cause?: unknown }) {
    const where = describeLocation(location);
    super(where ? `${message} (${where})` : message, options);
    this.name = 'CrmsyncError';
    this.code = code;
    this.location = location;
    this.reason = message;
  }
}

/** A capability that a plugin declares but does not provide yet, or a connector cannot do. */
export class NotImplementedError extends CrmsyncError {
  constructor(what: string, location: ProblemLocation = {}) {
    super('CRMSYNC_ERR_NOT_IMPLEMENTED', `${what} is not implemented`, location);
    this.name = 'NotImplementedError';
  }
}

/** The other side changed the record since it was read (HTTP 412, stale version). */
export class ConcurrencyError extends CrmsyncError {
  constructor(message: string, location: ProblemLocation = {}) {
    super('CRMSYNC_ERR_STALE_VERSION', message, location);
    this.name = 'ConcurrencyError';
  }
}
