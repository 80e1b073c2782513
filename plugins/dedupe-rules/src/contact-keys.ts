import type { CountryCode } from 'libphonenumber-js';
import { type Contact, emailKey, type PhoneNumber, toE164 } from '../../../core/index.js';
import { splitAddress } from './email-parts.js';
import { LastDerived } from './last-derived.js';
import { isRoleAddress } from './role-addresses.js';

// Every rule reads the addresses and numbers of a contact, one rule after the other (indexing
// asks each rule in turn about one contact): what was read of the contact last is read once.
// The lists handed out are shared and never changed.
const lastEmails = new LastDerived(readEmailKeys);
const lastPersonalEmails = new LastDerived((contact: Contact) =>
  emailKeysOf(contact).filter((address) => !isRoleAddress(splitAddress(address).local)),
);
let lastPhones: { contact: Contact; region: CountryCode; e164s: (string | undefined)[] } | undefined;

/** A contact's e-mail addresses, trimmed and in lower case, each once. */
export function emailKeysOf(contact: Contact): readonly string[] {
  return lastEmails.of(contact);
}

/** The addresses of the person: not info@, office@ and the like, which a whole office shares. */
export function personalEmailKeysOf(contact: Contact): readonly string[] {
  return lastPersonalEmails.of(contact);
}

function readEmailKeys(contact: Contact): string[] {
  const keys = new Set<string>();
  for (const email of contact.emails ?? []) {
    const key = emailKey(email.address ?? '');
    if (key.includes('@')) keys.add(key);
  }
  return [...keys];
}

/**
 * A phone number in E.164, read as written with the configured default country; the
 * connector's own E.164 only when the number as written cannot be read.
 */
export function e164Of(phone: PhoneNumber, region: CountryCode): string | undefined {
  return toE164(phone.number ?? '', region) ?? phone.e164;
}

/** The E.164 numbers of the contact's phones of the given types (all types when none given). */
export function phoneKeysOf(
  contact: Contact,
  region: CountryCode,
  types?: readonly PhoneNumber['type'][],
): string[] {
  const phones = contact.phones ?? [];
  if (lastPhones?.contact !== contact || lastPhones.region !== region)
    lastPhones = { contact, region, e164s: phones.map((phone) => e164Of(phone, region)) };
  const { e164s } = lastPhones;
  const keys = new Set<string>();
  phones.forEach((phone, at) => {
    const e164 = e164s[at];
    if (e164 && (!types || types.includes(phone.type))) keys.add(e164);
  });
  return [...keys];
}
