import { CrmsyncError } from '../../core/index.js';

/**
 * What a script can tell from `$?` alone. Documented in `crmsync --help` and the README, so
 * the numbers never change meaning.
 */
export const ExitCode = {
  /** Everything asked for was done. */
  success: 0,
  /** Nothing could be done: the CRM or groupware did not answer, or crmsync failed inside. */
  failure: 1,
  /** The command line or an input file is wrong; nothing was written. */
  badInput: 2,
  /** A configuration file is wrong or missing; nothing was written. */
  configuration: 3,
  /** Some records were written, others not; each one not written is named in the output. */
  partial: 4,
  /** There was nothing to do (no contact matched, nothing changed). */
  nothingToDo: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const exitCodeHelp = `Exit codes:
  0  success: everything asked for was done
  1  failure: the CRM or groupware did not answer, or an unexpected error
  2  bad input: a wrong option, argument or input file; nothing was written
  3  configuration error: a configuration file is wrong or missing
  4  partial failure: some records were written, each one that was not is listed
  5  nothing to do: no contact matched, nothing changed`;

const configurationCodes = new Set<string>([
  'CRMSYNC_ERR_CONFIG_INVALID',
  'CRMSYNC_ERR_CONFIG_MISSING',
  'CRMSYNC_ERR_CONFIG_ENV_MISSING',
  'CRMSYNC_ERR_PROFILE_INVALID',
  'CRMSYNC_ERR_PROFILE_MISSING',
  'CRMSYNC_ERR_MANIFEST_INVALID',
  'CRMSYNC_ERR_MANIFEST_JSON',
  'CRMSYNC_ERR_CONTRIBUTION_CREATE',
  'CRMSYNC_ERR_DEPENDENCY_MISSING',
  'CRMSYNC_ERR_DUPLICATE_PLUGIN',
]);

const badInputCodes = new Set<string>([
  'CRMSYNC_ERR_REQUEST_INVALID',
  'CRMSYNC_ERR_UPLOAD_INVALID',
  'CRMSYNC_ERR_EXPORT_INVALID',
  'CRMSYNC_ERR_CONTACT_INVALID',
  'CRMSYNC_ERR_NOT_FOUND',
  'CRMSYNC_ERR_CONTRIBUTION_UNKNOWN',
  'CRMSYNC_ERR_PLUGIN_UNKNOWN',
  'CRMSYNC_ERR_PLAN_STATE',
  'CRMSYNC_ERR_UNSUPPORTED_QUERY',
  'CRMSYNC_ERR_SURE_DUPLICATE',
  'CRMSYNC_ERR_CRM_NOT_FOUND',
  'CRMSYNC_ERR_USER_EXISTS',
  'CRMSYNC_ERR_ADMIN_REQUIRED',
  'CRMSYNC_ERR_ACCOUNT_UNKNOWN',
]);

export function exitCodeOf(error: unknown): ExitCode {
  if (!(error instanceof CrmsyncError)) return ExitCode.failure;
  if (configurationCodes.has(error.code)) return ExitCode.configuration;
  if (badInputCodes.has(error.code)) return ExitCode.badInput;
  return ExitCode.failure;
}
