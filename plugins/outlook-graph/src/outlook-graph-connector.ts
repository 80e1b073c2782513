import {
  type Contact,
  type ContactChange,
  type Fetched,
  type GroupwareCapabilities,
  type GroupwareConnector,
  type HealthReport,
  NotImplementedError,
} from '../../../core/index.js';

const where = { endpoint: 'outlook-graph' };

/**
 * Outlook through Microsoft Graph. The Graph connector is not built yet: every operation
 * says so plainly, so that the kernel falls back to the vCard folder instead of failing
 * silently.
 */
export class OutlookGraphConnector implements GroupwareConnector {
  readonly capabilities: GroupwareCapabilities = {
    delta: true,
    photos: true,
    batch: true,
    stableExternalId: true,
  };

  async health(): Promise<HealthReport> {
    return { ok: false, detail: 'the Outlook (Microsoft Graph) connector is not implemented yet' };
  }
  // biome-ignore lint/correctness/useYield: refuses before producing anything
  async *listContacts(): AsyncIterable<Fetched<Contact>> {
    throw new NotImplementedError('Listing Outlook contacts', where);
  }
  async getContact(): Promise<Contact | undefined> {
    throw new NotImplementedError('Reading an Outlook contact', where);
  }
  async findByCrmId(): Promise<Contact | undefined> {
    throw new NotImplementedError('Looking up an Outlook contact by CRM id', where);
  }
  async createContact(): Promise<Contact> {
    throw new NotImplementedError('Creating an Outlook contact', where);
  }
  async updateContact(): Promise<Contact> {
    throw new NotImplementedError('Updating an Outlook contact', where);
  }
  async deleteContact(): Promise<void> {
    throw new NotImplementedError('Deleting an Outlook contact', where);
  }
  // biome-ignore lint/correctness/useYield: refuses before producing anything
  async *changesSince(): AsyncIterable<Fetched<ContactChange<Contact>>> {
    throw new NotImplementedError('Reading Outlook contact changes', where);
  }
}
