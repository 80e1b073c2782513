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
