import type { Contact } from '../api/types';

/** The name a person reads: the contact's own display name, else its parts. */
export function nameOf(contact: Contact | undefined, fallback: string): string {
  if (!contact) return fallback;
  if (contact.displayName) return contact.displayName;
  const parts = [contact.title, contact.givenName, contact.surname].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : (contact.emails?.[0]?.address ?? fallback);
}

export const firstEmail = (contact: Contact | undefined) =>
  contact?.emails?.find((email) => email.preferred)?.address ?? contact?.emails?.[0]?.address ?? '';

export const cityOf = (contact: Contact | undefined) =>
  contact?.addresses?.find((address) => address.city)?.city ?? '';
