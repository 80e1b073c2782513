import { CrmsyncError } from '../domain/errors.js';
import type { ProblemLocation } from '../domain/problem.js';

/** The code a driver gives an error: SQLite's `SQLITE_…` names, PostgreSQL's SQLSTATE. */
function driverCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : '';
}

export function isUniqueViolation(error: unknown): boolean {
  const code = driverCode(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(error: unknown): boolean {
  const code = driverCode(error);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

// SQLite's extended codes (`SQLITE_BUSY_SNAPSHOT`, `SQLITE_IOERR_FSYNC`…) start with the basic one.
const busyPrefixes = ['SQLITE_BUSY', 'SQLITE_LOCKED'];
const unavailablePrefixes = [
  'SQLITE_NOTADB',
  'SQLITE_CANTOPEN',
  'SQLITE_CORRUPT',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  'SQLITE_PERM',
  'SQLITE_FULL',
];
// PostgreSQL: lock not available, deadlock, too many connections, server starting up.
const busyStates = new Set(['55P03', '40P01', '53300', '57P03']);
// Connection failures (class 08), refused logins, a missing database or schema, a shutdown.
const unavailableStates = new Set(['28P01', '28000', '3D000', '3F000', '57P01', '57P02']);
const unavailableSystemCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EACCES',
  'ENOENT',
]);
// Errors the drivers raise without a code.
const unavailableMessages = /directory does not exist|Connection terminated|trying to connect/i;

/**
 * A driver's error as the person running crmsync needs it: a busy or unreadable store gets a
 * code and says where the store is; anything else is left as it is for the caller.
 */
export function asStoreError(error: unknown, where: ProblemLocation): unknown {
  if (error instanceof CrmsyncError) return error;
  const code = driverCode(error);
  const detail = (error as Error)?.message ?? String(error);
  if (busyStates.has(code) || busyPrefixes.some((prefix) => code.startsWith(prefix)))
    return new CrmsyncError(
      'CRMSYNC_ERR_STORE_BUSY',
      `the state store is locked by another process: ${detail}`,
      where,
      { cause: error },
    );
  if (
    unavailableStates.has(code) ||
    unavailableSystemCodes.has(code) ||
    code.startsWith('08') ||
    unavailablePrefixes.some((prefix) => code.startsWith(prefix)) ||
    unavailableMessages.test(detail)
  )
    return new CrmsyncError(
      'CRMSYNC_ERR_STORE_UNAVAILABLE',
      `the state store cannot be used: ${detail}`,
      where,
      { cause: error },
    );
  return error;
}
