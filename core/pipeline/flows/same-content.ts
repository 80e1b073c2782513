import type { Contact } from '../../domain/contact.js';
import { photoHash } from '../../domain/photo-hash.js';
import { scalarFields } from '../../ports/field-support.js';

/**
 * Whether two contacts say the same about a person (names, numbers, addresses, photo),
 * whatever their ids, versions and connector-private data: writing one over the other would
 * change nothing a user could see, so it is not written at all.
 */
export function sameContent(a: Contact, b: Contact): boolean {
  // A display name one side derives from the name parts is not a difference.
  const derived = a.displayName === undefined || b.displayName === undefined;
  return JSON.stringify(contentOf(a, derived)) === JSON.stringify(contentOf(b, derived));
}

/** The CRM's bookkeeping, not what a person reads on a contact: a groupware need not keep it. */
const bookkeeping = new Set(['partnerId', 'groupwareSync']);

function contentOf(contact: Contact, displayNameDerived: boolean): unknown {
  const values = contact as unknown as Record<string, unknown>;
  const fields = scalarFields.filter(
    (field) => !bookkeeping.has(field) && !(displayNameDerived && field === 'displayName'),
  );
  return {
    scalars: fields.map((field) => values[field] ?? null),
    emails: contact.emails.map(({ address, type, preferred }) => [address, type, preferred === true]),
    phones: contact.phones.map(({ number, type, preferred }) => [number, type, preferred === true]),
    addresses: contact.addresses.map(({ type, street, postalCode, city, region, country }) => [
      type,
      street ?? null,
      postalCode ?? null,
      city ?? null,
      region ?? null,
      country ?? null,
    ]),
    categories: contact.categories,
    photo: contact.photo
      ? (contact.photo.hash ?? (contact.photo.bytes ? photoHash(contact.photo.bytes) : contact.photo.url))
      : null,
  };
}
