import { inject, injectable } from 'inversify';
import type { Contact } from '../domain/contact.js';
import type { Fetched } from '../domain/problem.js';
import { textWithoutCredentials } from '../kernel/config/redact.js';
import { selectGroupwareConnector } from '../kernel/connector-selection.js';
import type { ContributionPoint } from '../kernel/contribution-points.js';
import { Kernel } from '../kernel/kernel.js';
import type { CrmContactQuery } from '../ports/crm-connector.js';
import type { HealthReport } from '../ports/health.js';
import { ServiceSettings } from './service-settings.js';

export interface ConnectorStatus {
  id: string;
  health: HealthReport;
  /** Set when the groupware fallback is used: why the chosen connector was passed over. */
  fallbackReason?: string;
}

export interface ConnectorOverview {
  crm: ConnectorStatus;
  groupware: ConnectorStatus;
  configured: ServiceSettings['connectors'];
}

/** The connectors crmsync works with: which ones, whether they answer, and the CRM's contacts. */
export interface ConnectorService {
  overview(): Promise<ConnectorOverview>;
  /**
   * The CRM's contacts matching the query, one malformed record reported as a problem while the
   * rest streams on. A CRM that does not answer throws (`CRMSYNC_ERR_CRM_UNREACHABLE`).
   */
  searchCrmContacts(query: CrmContactQuery): AsyncIterable<Fetched<Contact>>;
  /** One CRM contact by its id; undefined when the CRM has none by that id. */
  crmContact(crmId: string): Promise<Contact | undefined>;
  /** Builds every configured connector, so a broken configuration shows at start-up; one line per failure. */
  checkConfigured(): Promise<string[]>;
}
export const ConnectorService = Symbol.for('crmsync.ConnectorService');

// A health detail is shown to API clients: a URL with a password in it must not be.
const shown = (health: HealthReport): HealthReport => ({
  ...health,
  detail: textWithoutCredentials(health.detail),
});

@injectable()
export class ConnectorServiceImpl implements ConnectorService {
  constructor(
    @inject(Kernel) private readonly kernel: Kernel,
    @inject(ServiceSettings) private readonly settings: ServiceSettings,
  ) {}

  async overview(): Promise<ConnectorOverview> {
    const { connectors } = this.settings;
    let crm: ConnectorStatus;
    try {
      const connector = await this.kernel.get('crmConnectors', connectors.crm);
      crm = { id: connectors.crm, health: shown(await connector.health()) };
    } catch (error) {
      crm = { id: connectors.crm, health: shown({ ok: false, detail: (error as Error).message }) };
    }
    let groupware: ConnectorStatus;
    try {
      const selected = await selectGroupwareConnector(this.kernel, connectors);
      groupware = { id: selected.id, health: shown(selected.health) };
      if (selected.fallbackReason) groupware.fallbackReason = textWithoutCredentials(selected.fallbackReason);
    } catch (error) {
      groupware = {
        id: connectors.groupware,
        health: shown({ ok: false, detail: (error as Error).message }),
      };
    }
    return { crm, groupware, configured: connectors };
  }

  async *searchCrmContacts(query: CrmContactQuery): AsyncIterable<Fetched<Contact>> {
    const connector = await this.kernel.get('crmConnectors', this.settings.connectors.crm);
    yield* connector.searchContacts(query);
  }

  async crmContact(crmId: string): Promise<Contact | undefined> {
    const connector = await this.kernel.get('crmConnectors', this.settings.connectors.crm);
    return connector.getContact(crmId);
  }

  async checkConfigured(): Promise<string[]> {
    const { connectors } = this.settings;
    const wanted: [ContributionPoint, string][] = [
      ['crmConnectors', connectors.crm],
      ['groupwareConnectors', connectors.groupware],
      ['groupwareConnectors', connectors.fallback],
    ];
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const [point, id] of wanted) {
      if (seen.has(`${point}:${id}`)) continue;
      seen.add(`${point}:${id}`);
      try {
        await this.kernel.get(point, id);
      } catch (error) {
        problems.push(
          `connector "${id}" cannot be used: ${textWithoutCredentials((error as Error).message)}`,
        );
      }
    }
    return problems;
  }
}
