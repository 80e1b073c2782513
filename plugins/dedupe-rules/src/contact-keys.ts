import type { CountryCode } from 'libphonenumber-js';
import { type Contact, emailKey, type PhoneNumber, toE164 } from '../../../core/index.js';

/** A contact's e-mail addresses, trimmed and in lower case, each once. */
export function emailKeysOf(contact: Contact): string[] {
  const keys = new Set<string>();
  for (const email of contact.emails ?? []) {
    const key = emailKey(email.address ?? '');
    if (key.includes('@')) keys.add(key);
  }
  return [...keys];
}

export function splitAddress(key: string): { local: string; domain: string } {
  const at = key.lastIndexOf('@');
  return { local: key.slice(0, at), domain: key.slice(at + 1) };
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
  const keys = new Set<string>();
  for (const phone of contact.phones ?? []) {
    if (types && !types.includes(phone.type)) continue;
    const e164 = e164Of(phone, region);
    if (e164) keys.add(e164);
  }
  return [...keys];
}
