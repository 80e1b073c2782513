import type { BusinessPartner, Contact, Photo } from '../domain/contact.js';
import type { Fetched } from '../domain/problem.js';
import type { ContactChange, HealthReport } from './health.js';

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

/**
 * The CRM as a system of record. Streams yield `Fetched` items so that one malformed record
 * is reported and the rest of the stream goes on.
 */
export interface CrmConnector {
  readonly capabilities: CrmCapabilities;
  health(): Promise<HealthReport>;
  searchContacts(query?: CrmContactQuery): AsyncIterable<Fetched<Contact>>;
  getContact(id: string): Promise<Contact | undefined>;
  createContact(contact: Contact): Promise<Contact>;
  /** Rejects with a ConcurrencyError when `contact.ids.crmVersion` is stale. */
  updateContact(contact: Contact): Promise<Contact>;
  deleteContact(id: string, expectedVersion?: string): Promise<void>;
  changesSince(cursor?: string): AsyncIterable<Fetched<ContactChange<Contact>>>;
  findByEmails(emails: readonly string[]): Promise<Contact[]>;
  /** Phones in E.164. */
  findByPhones(phones: readonly string[]): Promise<Contact[]>;
  getPhoto(id: string): Promise<Photo | undefined>;
  /** `expectedVersion`: the CRM version the change is based on; a stale one is a ConcurrencyError. */
  setPhoto(id: string, photo: Photo | undefined, expectedVersion?: string): Promise<void>;
  searchPartners(query: CrmPartnerQuery): AsyncIterable<Fetched<BusinessPartner>>;
  getPartner(id: string): Promise<BusinessPartner | undefined>;
}
export const CrmConnector = Symbol.for('crmsync.CrmConnector');
