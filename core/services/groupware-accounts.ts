import { inject, injectable } from 'inversify';
import { CrmsyncError } from '../domain/errors.js';
import { textWithoutCredentials } from '../kernel/config/redact.js';
import { selectGroupwareConnector } from '../kernel/connector-selection.js';
import { Kernel } from '../kernel/kernel.js';
import { accountIdOf } from '../pipeline/sync/sync-targets.js';
import type { GroupwareConnector } from '../ports/groupware-connector.js';
import type { HealthReport } from '../ports/health.js';
import type { AccountId } from '../store/state-store.js';
import { ServiceSettings } from './service-settings.js';

/** One groupware account: a mailbox or a folder of a groupware connector. */
export interface GroupwareAccount {
  /** `<connector id>:<accountKey>`: links, cursors, leases and plans are kept by it. */
  id: AccountId;
  connectorId: string;
  store: GroupwareConnector;
}

/** An account as the API and the CLI list it. */
export interface GroupwareAccountStatus {
  id: AccountId;
  connector: string;
  accountKey: string;
  /** The account used where none is named: the configured connector's first. */
  default: boolean;
  /** An account of the fallback connector, used for exports and imports while the configured one is out of reach. */
  fallback: boolean;
  health: HealthReport;
}

/** The account an export or import works with, and why the fallback's when it is. */
export interface AccountInUse extends GroupwareAccount {
  health: HealthReport;
  fallbackReason?: string;
}

/**
 * The groupware accounts crmsync works with: every account of the configured groupware
 * connector (the first the default) and of its fallback. Plans, sync runs and the contact
 * toggle name the account they work on by its id; where none is named, the default.
 */
export interface GroupwareAccounts {
  /** Every account, the configured connector's first, each with its health. */
  list(): Promise<GroupwareAccountStatus[]>;
  /**
   * The account named, else the default. A sync works with exactly this account: one out of
   * reach fails the run, another is never synced in its place. An unknown id is
   * `CRMSYNC_ERR_ACCOUNT_UNKNOWN`.
   */
  resolve(accountId?: string): Promise<GroupwareAccount>;
  /**
   * The account an export or import works with: the one named, else the default; an account
   * of the configured connector that is out of reach gives way to the fallback's default,
   * which says why (A2).
   */
  inUse(accountId?: string): Promise<AccountInUse>;
  /** The accounts a sync works with: every account of the configured groupware connector, the default first. */
  syncable(): Promise<GroupwareAccount[]>;
}
export const GroupwareAccounts = Symbol.for('crmsync.GroupwareAccounts');

@injectable()
export class GroupwareAccountsImpl implements GroupwareAccounts {
  constructor(
    @inject(Kernel) private readonly kernel: Kernel,
    @inject(ServiceSettings) private readonly settings: ServiceSettings,
  ) {}

  async list(): Promise<GroupwareAccountStatus[]> {
    const defaultId = (await this.configured().catch(() => []))[0]?.id;
    const statuses: GroupwareAccountStatus[] = [];
    for (const account of await this.all()) {
      const health = await account.store.health();
      statuses.push({
        id: account.id,
        connector: account.connectorId,
        accountKey: account.store.accountKey,
        default: account.id === defaultId,
        fallback: account.connectorId !== this.settings.connectors.groupware,
        health: { ...health, detail: textWithoutCredentials(health.detail) },
      });
    }
    return statuses;
  }

  async resolve(accountId?: string): Promise<GroupwareAccount> {
    if (accountId !== undefined) return this.named(accountId);
    const [first] = await this.configured().catch((error: Error) => {
      throw new CrmsyncError(
        'CRMSYNC_ERR_GROUPWARE_UNAVAILABLE',
        `groupware connector "${this.settings.connectors.groupware}" is not available: ${error.message}`,
      );
    });
    return first!;
  }

  async inUse(accountId?: string): Promise<AccountInUse> {
    const { connectors } = this.settings;
    if (accountId === undefined) {
      const selected = await selectGroupwareConnector(this.kernel, connectors);
      return {
        ...this.accountOf(selected.id, selected.connector),
        health: selected.health,
        ...(selected.fallbackReason ? { fallbackReason: selected.fallbackReason } : {}),
      };
    }
    const account = await this.named(accountId);
    const health = await account.store.health();
    if (health.ok || account.connectorId !== connectors.groupware) return { ...account, health };
    // Another account of the same connector is no fallback: it is someone else's mailbox or folder.
    if (connectors.fallback === connectors.groupware)
      throw new CrmsyncError(
        'CRMSYNC_ERR_GROUPWARE_UNAVAILABLE',
        `groupware account ${account.id} is not available: ${health.detail}`,
      );
    const fallback = await this.fallbackDefault().catch((error: Error) => {
      throw new CrmsyncError(
        'CRMSYNC_ERR_GROUPWARE_UNAVAILABLE',
        `neither ${account.id} (${health.detail}) nor the fallback "${connectors.fallback}" (${error.message}) is available`,
      );
    });
    return { ...fallback, fallbackReason: `${account.id} is not available: ${health.detail}` };
  }

  private async named(accountId: string): Promise<GroupwareAccount> {
    const all = await this.all();
    const found = all.find((account) => account.id === accountId);
    if (found) return found;
    throw new CrmsyncError(
      'CRMSYNC_ERR_ACCOUNT_UNKNOWN',
      `there is no groupware account "${accountId}"; the accounts are ${all.map((account) => `"${account.id}"`).join(', ') || 'none'}`,
      { field: 'account' },
    );
  }

  /** The configured connector's accounts and then the fallback's, each once. */
  private async all(): Promise<GroupwareAccount[]> {
    const { groupware, fallback } = this.settings.connectors;
    const all: GroupwareAccount[] = [];
    for (const connectorId of new Set([groupware, fallback])) {
      const accounts = await this.accountsOf(connectorId).catch(() => []);
      for (const account of accounts) if (!all.some((known) => known.id === account.id)) all.push(account);
    }
    return all;
  }

  syncable(): Promise<GroupwareAccount[]> {
    return this.configured();
  }

  private configured(): Promise<GroupwareAccount[]> {
    return this.accountsOf(this.settings.connectors.groupware);
  }

  private async fallbackDefault(): Promise<AccountInUse> {
    const [first] = await this.accountsOf(this.settings.connectors.fallback);
    const health = await first!.store.health();
    if (!health.ok) throw new Error(health.detail);
    return { ...first!, health };
  }

  private async accountsOf(connectorId: string): Promise<GroupwareAccount[]> {
    const connector = await this.kernel.get('groupwareConnectors', connectorId);
    return connector.accounts().map((store) => this.accountOf(connectorId, store));
  }

  private accountOf(connectorId: string, store: GroupwareConnector): GroupwareAccount {
    return { id: accountIdOf(connectorId, store), connectorId, store };
  }
}
