import type { Contact } from '../domain/contact.js';
import type { Fetched } from '../domain/problem.js';
import type { ContactStore } from './contact-store.js';

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
export interface GroupwareConnector extends ContactStore {
  readonly capabilities: GroupwareCapabilities;
  listContacts(): AsyncIterable<Fetched<Contact>>;
  findByCrmId(crmId: string): Promise<Contact | undefined>;
}
export const GroupwareConnector = Symbol.for('crmsync.GroupwareConnector');
