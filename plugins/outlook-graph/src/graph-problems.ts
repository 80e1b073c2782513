import { CrmsyncError, type ErrorCode, type ProblemLocation } from '../../../core/index.js';

export interface GraphErrorBody {
  error?: { code?: string; message?: string };
}

/** Graph's error code and message from a body, when it has one. */
export function graphErrorOf(body: unknown): { code: string; message: string } {
  const error = (body as GraphErrorBody | undefined)?.error;
  return { code: error?.code ?? 'unknown', message: error?.message ?? 'no error message' };
}

/** Statuses after which the same request may succeed later. */
export function isTransient(status: number): boolean {
  return status === 429 || status === 503 || status === 504 || status === 502 || status === 500;
}

/** The crmsync code for an error answer of Graph (a 404 means "no such contact" to the caller). */
export function codeForStatus(status: number, graphCode: string): ErrorCode {
  if (status === 412) return 'CRMSYNC_ERR_STALE_VERSION';
  if (status === 401 || status === 403) return 'CRMSYNC_ERR_OUTLOOK_AUTH';
  if (status === 429) return 'CRMSYNC_ERR_OUTLOOK_THROTTLED';
  if (status === 413) return 'CRMSYNC_ERR_OUTLOOK_PHOTO_TOO_LARGE';
  if (status === 404 && /InvalidUser|MailboxNotEnabled/i.test(graphCode))
    return 'CRMSYNC_ERR_OUTLOOK_MAILBOX';
  if (status === 404) return 'CRMSYNC_ERR_NOT_FOUND';
  if (status === 410 && /syncstatenotfound|resyncrequired/i.test(graphCode))
    return 'CRMSYNC_ERR_CURSOR_EXPIRED';
  if (status === 400 || status === 409 || status === 415 || status === 422)
    return 'CRMSYNC_ERR_OUTLOOK_REJECTED';
  return 'CRMSYNC_ERR_OUTLOOK_HTTP';
}

/** An error answer as a `CrmsyncError` naming Graph's own code, so a person can look it up. */
export function errorFromAnswer(
  status: number,
  body: unknown,
  what: string,
  location: ProblemLocation,
): CrmsyncError {
  const graph = graphErrorOf(body);
  return new CrmsyncError(
    codeForStatus(status, graph.code),
    `${what}: Microsoft Graph answered ${status} ${graph.code}: ${graph.message}`,
    location,
  );
}
