import {
  type Contact,
  type ContactChange,
  CrmsyncError,
  type Fetched,
  type FieldSupport,
  type GroupwareCapabilities,
  type GroupwareConnector,
  type HealthReport,
  type WriteOutcome,
} from '../../../core/index.js';
import { outlookCapabilities, outlookFieldSupport } from './contact-mapping.js';

/**
 * Stands in for Outlook while its settings are incomplete: unhealthy with the reason, so the
 * kernel falls back to the vCard folder, and refusing every operation instead of looking empty.
 */
export class UnconfiguredOutlookConnector implements GroupwareConnector {
  readonly capabilities: GroupwareCapabilities = outlookCapabilities;
  readonly fieldSupport: FieldSupport = outlookFieldSupport;
  readonly accountKey = 'no-mailbox-configured';

  constructor(private readonly reason: string) {}

  accounts(): readonly GroupwareConnector[] {
    return [this];
  }

  async health(): Promise<HealthReport> {
    return { ok: false, detail: `Outlook (Microsoft Graph) is not configured: ${this.reason}` };
  }
  // biome-ignore lint/correctness/useYield: refuses before producing anything
  async *listContacts(): AsyncIterable<Fetched<Contact>> {
    throw this.refusal();
  }
  async getContact(): Promise<Contact | undefined> {
    throw this.refusal();
  }
  async findByCrmId(): Promise<Contact | undefined> {
    throw this.refusal();
  }
  async findCreated(): Promise<Contact | undefined> {
    throw this.refusal();
  }
  // biome-ignore lint/correctness/useYield: refuses before producing anything
  async *apply(): AsyncIterable<WriteOutcome> {
    throw this.refusal();
  }
  // biome-ignore lint/correctness/useYield: refuses before producing anything
  async *changesSince(): AsyncIterable<Fetched<ContactChange>> {
    throw this.refusal();
  }

  private refusal(): CrmsyncError {
    return new CrmsyncError(
      'CRMSYNC_ERR_OUTLOOK_NOT_CONFIGURED',
      `Outlook is not configured: ${this.reason}`,
      {
        endpoint: 'outlook-graph',
      },
    );
  }
}
