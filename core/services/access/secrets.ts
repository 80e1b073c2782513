import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits as base64url text, with a prefix that says what the secret is for. */
export const newSecret = (prefix = ''): string => `${prefix}${randomBytes(32).toString('base64url')}`;

/** How tokens and session ids are looked up: by this hash, never by the secret itself. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Whether two secrets are equal, in time that tells nothing about them: both are hashed first,
 * so even their lengths stay hidden.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
