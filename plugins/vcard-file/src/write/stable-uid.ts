import { createHash } from 'node:crypto';
import type { Contact } from '../../../../core/index.js';

// A fixed namespace of crmsync's own, so that the same CRM id always yields the same UID
// and no other producer's name-based UUIDs collide with ours.
const crmsyncNamespace = Buffer.from('6f1c2b9e4d3a5f7081b2c3d4e5f60718', 'hex');

/**
 * The UID a contact is written with: the one it already has, else one derived from its CRM
 * id, so that exporting the same CRM contact again yields the same UID (E4, I2) and a
 * re-imported file is recognised.
 */
export function stableUid(contact: Contact): string {
  if (contact.ids.uid) return contact.ids.uid;
  if (contact.ids.crmId) return `urn:uuid:${nameBasedUuid(`crm:${contact.ids.crmId}`)}`;
  // Without any id, the person's own data is the only thing that repeats between exports.
  const fingerprint = JSON.stringify([
    contact.displayName,
    contact.givenName,
    contact.surname,
    contact.company,
    contact.emails.map((email) => email.address),
    contact.phones.map((phone) => phone.number),
  ]);
  return `urn:uuid:${nameBasedUuid(`contact:${fingerprint}`)}`;
}

/** RFC 4122 version 5 (SHA-1, name-based) UUID. */
export function nameBasedUuid(name: string): string {
  const hash = createHash('sha1').update(crmsyncNamespace).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
