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
 * A contact store on the groupware side: Outlook through Graph, or a folder of vCard files;
 * one account of it (a mailbox, a folder). Every contact written carries its CRM id (E5) in
 * whatever way the store allows.
 */
export interface GroupwareConnector extends ContactStore {
  readonly capabilities: GroupwareCapabilities;
  listContacts(): AsyncIterable<Fetched<Contact>>;
  findByCrmId(crmId: string): Promise<Contact | undefined>;
  /**
   * Every account of the connector this store belongs to, in the order configured, itself
   * among them: further mailboxes or folders, each a store of its own with its own
   * `accountKey`. The first is the default, the one account an install of one has always had.
   */
  accounts(): readonly GroupwareConnector[];
}
export const GroupwareConnector = Symbol.for('crmsync.GroupwareConnector');
