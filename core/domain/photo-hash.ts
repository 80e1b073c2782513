import { createHash } from 'node:crypto';

/**
 * The content hash of a photo (hex SHA-256 of its bytes): the one way crmsync tells whether a
 * photo changed, on every side, so a photo read from the CRM and the same bytes read from a
 * vCard always compare equal.
 */
export function photoHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
