import type { BusinessPartner, Contact, Photo } from '../domain/contact.js';
import type { Fetched } from '../domain/problem.js';
import type { ContactStore } from './contact-store.js';

/** Search criteria for CRM contact persons (E2); every criterion narrows the result. */
export interface CrmContactQuery {
  /** Matches given name, surname or display name. */
  name?: string;
  partnerId?: string;
  city?: string;
  email?: string;
  phone?: string;
  groupwareSync?: boolean;
}

export interface CrmPartnerQuery {
  name?: string;
  domain?: string;
  city?: string;
}

export interface CrmCapabilities {
  changes: boolean;
  photos: boolean;
  bulkLookup: boolean;
}

/** A contact found by a bulk lookup, with the key (as the caller gave it) that found it. */
export interface KeyedContact {
  key: string;
  contact: Contact;
}

/**
 * The CRM as a system of record. Streams yield `Fetched` items so that one malformed record
 * is reported and the rest of the stream goes on.
 */
export interface CrmConnector extends ContactStore {
  readonly capabilities: CrmCapabilities;
  searchContacts(query?: CrmContactQuery): AsyncIterable<Fetched<Contact>>;
  /** One item per (key, contact) pair found; a contact found by two keys comes twice. */
  findByEmails(emails: readonly string[]): AsyncIterable<Fetched<KeyedContact>>;
  /** Keys are E.164 numbers or numbers as entered; the key is given back as the caller wrote it. */
  findByPhones(phones: readonly string[]): AsyncIterable<Fetched<KeyedContact>>;
  getPhoto(id: string): Promise<Photo | undefined>;
  searchPartners(query: CrmPartnerQuery): AsyncIterable<Fetched<BusinessPartner>>;
  getPartner(id: string): Promise<BusinessPartner | undefined>;
}
export const CrmConnector = Symbol.for('crmsync.CrmConnector');
