import type { CrmConnector } from '../../ports/crm-connector.js';
import type { GroupwareConnector } from '../../ports/groupware-connector.js';
import type { AccountId } from '../../store/state-store.js';
import type { ConflictPolicy } from '../merge/conflict-policy.js';

/** The two sides one sync run works on, and the groupware account its links belong to. */
export interface SyncTargets {
  accountId: AccountId;
  crm: CrmConnector;
  groupware: GroupwareConnector;
}

/** The account of a groupware store: `<connector id>:<accountKey>`. */
export function accountIdOf(connectorId: string, groupware: GroupwareConnector): AccountId {
  return `${connectorId}:${groupware.accountKey}`;
}

export interface SyncSettings {
  policy: ConflictPolicy;
  /** Share of one side's linked contacts a run may delete without confirmation (0.1 = 10 %). */
  maxDeletionShare: number;
}

/** What a sync plan remembers in its options, so that commit and confirm need nothing else. */
export interface SyncPlanOptions extends SyncSettings {
  /** The stored cursors the plan read from; a plan whose account moved on since is stale. */
  cursorsFrom: { crm?: string; groupware?: string };
  /** The cursors to store once the plan is committed without failures. */
  cursorsTo: { crm?: string; groupware?: string };
}
