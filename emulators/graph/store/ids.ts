import { randomBytes } from 'node:crypto';

/** Ids shaped like Exchange's: long, case-sensitive, base64 with `-`, `_` and a trailing `=`. */
export function itemId(): string {
  return `AAMkA${randomBytes(33).toString('base64url')}AAA=`;
}

/** A change key: new on every change of an item. */
export function changeKey(): string {
  return `EQAAABYAAA${randomBytes(18).toString('base64')}`;
}
