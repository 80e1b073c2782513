import {
  type Contact,
  type ContactChange,
  type Fetched,
  type FieldSupport,
  type GroupwareCapabilities,
  type GroupwareConnector,
  type HealthReport,
  NotImplementedError,
  type WriteOutcome,
} from '../../../core/index.js';

const where = { endpoint: 'outlook-graph' };

/**
 * Outlook through Microsoft Graph. The Graph connector is not built yet: every operation
 * says so plainly, so that the kernel falls back to the vCard folder instead of failing
 * silently.
 */
export class OutlookGraphConnector implements GroupwareConnector {
  /** The mailbox whose contacts are synchronised; case does not make another mailbox. */
  readonly accountKey: string;
  readonly capabilities: GroupwareCapabilities = {
    delta: true,
    photos: true,
    batch: true,
    stableExternalId: true,
  };
  /** What an Outlook contact holds (Graph contact resource). */
  readonly fieldSupport: FieldSupport = {
    scalars: [
      'title',
      'givenName',
      'middleName',
      'surname',
      'suffix',
      'nickname',
      'displayName',
      'company',
      'department',
      'jobTitle',
      'birthday',
      'notes',
      'website',
    ],
    emails: 3,
    phones: { business: 2, home: 2, mobile: 1 },
    addresses: { business: 1, home: 1, other: 1 },
    addressParts: ['street', 'postalCode', 'city', 'region', 'country'],
    categories: true,
    photo: true,
  };

  constructor(options: { mailbox?: string } = {}) {
    this.accountKey = options.mailbox?.trim().toLowerCase() || 'no-mailbox-configured';
  }

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
  async findCreated(): Promise<Contact | undefined> {
    throw new NotImplementedError('Looking up an earlier create in Outlook', where);
  }
  // biome-ignore lint/correctness/useYield: refuses before producing anything
  async *apply(): AsyncIterable<WriteOutcome> {
    throw new NotImplementedError('Writing Outlook contacts', where);
  }
  // biome-ignore lint/correctness/useYield: refuses before producing anything
  async *changesSince(): AsyncIterable<Fetched<ContactChange>> {
    throw new NotImplementedError('Reading Outlook contact changes', where);
  }
}
