import type { ErrorCode } from './error-catalogue.js';
import { describeLocation, type ProblemLocation, type RecordProblem } from './problem.js';

/**
 * Every error crmsync raises carries a stable code (for programs) and says what failed and
 * where (for people). Codes read `CRMSYNC_ERR_<WHAT>` and are listed, with their HTTP status,
 * in `error-catalogue.ts`.
 */
export class CrmsyncError extends Error {
  readonly code: ErrorCode;
  readonly location: ProblemLocation;
  /** The message without the location, for callers that show the location separately. */
  readonly reason: string;

  constructor(
    code: ErrorCode,
    message: string,
    location: ProblemLocation = {},
    options?: { cause?: unknown },
  ) {
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

/** A problem of one record as an error, for callers that act on a single record. */
export function errorFromProblem(problem: RecordProblem): CrmsyncError {
  return new CrmsyncError(problem.code, problem.message, problem.location);
}

/** An error as a problem of one record, so the rest of a batch goes on. */
export function problemFromError(error: unknown, location: ProblemLocation = {}): RecordProblem {
  if (error instanceof CrmsyncError)
    return { code: error.code, message: error.reason, location: { ...location, ...error.location } };
  return { code: 'CRMSYNC_ERR_INTERNAL', message: (error as Error)?.message ?? String(error), location };
}
