import { CrmsyncError, statusOf } from '../../core/index.js';

// A side out of reach, throttling, or a store busy for a moment: trying again later may succeed.
const passingStatuses = new Set([429, 502, 503, 504]);
const passingSystemCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
// Refused credentials, a plugin that failed, a store newer than this crmsync: so until a person acts.
const lastingCodes = new Set([
  'CRMSYNC_ERR_CRM_AUTH',
  'CRMSYNC_ERR_STORE_NEWER_SCHEMA',
  'CRMSYNC_ERR_PLUGIN_FAILED',
  'CRMSYNC_ERR_CONTRIBUTION_FAILED',
  'CRMSYNC_ERR_MANIFEST_INVALID',
]);

/** Another run holds the job's account: the job waits its turn rather than failing. */
export function isAccountBusy(error: unknown): boolean {
  return error instanceof CrmsyncError && error.code === 'CRMSYNC_ERR_ACCOUNT_BUSY';
}

/** Whether a job that failed with `error` is worth trying again after a while. */
export function isTransient(error: unknown): boolean {
  if (error instanceof CrmsyncError)
    return !lastingCodes.has(error.code) && passingStatuses.has(statusOf(error.code));
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && passingSystemCodes.has(code);
}
