import type { Contact } from '../domain/contact.js';
import type { Fetched } from '../domain/problem.js';
import type { ContactChange, HealthReport } from './health.js';

export interface GroupwareCapabilities {
  /** Incremental change feed (Graph delta, vCard folder content hashes). */
  delta: boolean;
  photos: boolean;
  batch: boolean;
  /** Ids survive renames and moves, so links can rely on them. */
  stableExternalId: boolean;
}

/**
 * A contact store on the groupware side: Outlook through Graph, or a folder of vCard files.
 * Every contact written carries its CRM id (E5) in whatever way the store allows.
 */
export interface GroupwareConnector {
  readonly capabilities: GroupwareCapabilities;
  health(): Promise<HealthReport>;
  listContacts(): AsyncIterable<Fetched<Contact>>;
  getContact(id: string): Promise<Contact | undefined>;
  findByCrmId(crmId: string): Promise<Contact | undefined>;
  createContact(contact: Contact): Promise<Contact>;
  /** Rejects with a ConcurrencyError when `contact.ids.groupwareVersion` is stale. */
  updateContact(contact: Contact): Promise<Contact>;
  deleteContact(id: string, expectedVersion?: string): Promise<void>;
  changesSince(cursor?: string): AsyncIterable<Fetched<ContactChange<Contact>>>;
}
export const GroupwareConnector = Symbol.for('crmsync.GroupwareConnector');
