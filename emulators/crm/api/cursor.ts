import { ValidationFailure } from './validation.js';

/** Opaque paging cursors: clients pass them back unchanged and never build them. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`s:${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, field = 'cursor'): number {
  if (cursor === undefined || cursor === '') return 0;
  const match = /^s:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new ValidationFailure(field, 'is not a cursor this server issued');
  return Number(match[1]);
}

export function pageLimit(value: string | undefined, fallback = 100, max = 1000): number {
  if (value === undefined || value === '') return fallback;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new ValidationFailure('limit', `must be a whole number from 1 to ${max}`);
  }
  return limit;
}

/** Outcome of reading a change-feed cursor: where to go on, or why the cursor is no good. */
export type ChangeCursor = { ok: true; seq: number } | { ok: false; reason: string };

/** A change-feed cursor names the database it came from, so one from a replaced database is refused. */
export function encodeChangeCursor(epoch: string, seq: number): string {
  return Buffer.from(`c:${epoch}:${seq}`).toString('base64url');
}

export function decodeChangeCursor(cursor: string | undefined, epoch: string, latest: number): ChangeCursor {
  if (cursor === undefined || cursor === '') return { ok: true, seq: 0 };
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^c:([^:]+):(\d+)$/.exec(text);
  if (!match) {
    if (/^s:\d+$/.test(text)) return { ok: false, reason: 'comes from an older version of this CRM' };
    throw new ValidationFailure('since', 'is not a cursor this server issued');
  }
  if (match[1] !== epoch) return { ok: false, reason: 'belongs to another database (the CRM was reset)' };
  const seq = Number(match[2]);
  if (seq > latest) return { ok: false, reason: 'is ahead of the newest change this CRM has' };
  return { ok: true, seq };
}
