import type { Contact } from '../../core/index.js';
import { germanContacts } from '../vcard/german-contacts.js';

let pool: Contact[] | undefined;

/** Makes the pool now, so that a timing that follows measures the export alone. */
export function preparePool(): void {
  pool ??= germanContacts(1000);
}

/**
 * `count` contacts, each with a CRM id of its own, made as they are needed from a pool of a
 * thousand, so that the export's memory, not the input's, is what the figures show.
 */
export function* streamedContacts(count: number, sameName = false): Iterable<Contact> {
  pool ??= germanContacts(1000);
  for (let i = 0; i < count; i++) {
    const base = pool[i % pool.length] as Contact;
    const contact: Contact = { ...base, ids: { crmId: `AP-${i + 1}` } };
    if (sameName) Object.assign(contact, { givenName: 'Anna', surname: 'Müller', displayName: undefined });
    yield contact;
  }
}
