import type { BusinessPartner } from '../domain/contact.js';
import type { ContactJson } from '../domain/contact-json.js';
import type { RecordProblem } from '../domain/problem.js';
import type { DedupeFinding } from '../ports/dedupe-rule.js';

/**
 * A plan is what the wizards show, what a dry run prints, what the API returns and what
 * commit executes. It is persisted: a wizard can pause between steps, and a restart loses
 * nothing. Stages only add to it; only commit writes to the outside world.
 */
export type PlanKind = 'export' | 'import' | 'sync';

export type PlanStatus =
  /** Its contacts are being read into it; its items so far can be read, none edited. */
  | 'building'
  /** Built and editable; a dry run stays here. */
  | 'draft'
  /** Commit started; a crash leaves it here and a resumed commit goes on from the journal. */
  | 'committing'
  | 'committed'
  /** The user cancelled; nothing was written (E6). */
  | 'cancelled'
  /** Stopped by the mass-deletion guard, waiting for a person to confirm or reject. */
  | 'awaiting-confirmation'
  /** Undone after commit: the journal's before-images were written back. */
  | 'undone'
  | 'failed';

export interface PlanHeader {
  id: string;
  kind: PlanKind;
  accountId: string;
  status: PlanStatus;
  /**
   * What the plan was made from and the user's choices that are not per item: the CRM search
   * criteria (E2), the export option (E6), the conflict policy, the source file's name.
   */
  options: Record<string, unknown>;
  /** Counts and messages for the wizard's headline and the run's result (I3, I8). */
  summary: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  /**
   * The user who made the plan: only they (and administrators) see it. Absent for a plan made
   * by the command line, or by a host without users.
   */
  ownerId?: string;
}

export type PlanAction = 'create' | 'update' | 'link' | 'delete' | 'unlink' | 'skip';

/** Why an item is or is not synced, said the same way everywhere (S1's "why not synced"). */
export type PlanReason =
  | 'selected'
  | 'not-selected'
  | 'exported-before'
  | 'already-linked'
  | 'linked-elsewhere'
  | 'filtered-out'
  | 'sure-duplicate'
  | 'possible-duplicate'
  | 'no-partner'
  | 'unchanged'
  | 'changed'
  | 'conflict'
  | 'deleted-in-groupware'
  | 'sync-turned-off'
  | 'sync-turned-on'
  | 'cannot-hold'
  | 'error';

export interface DuplicateVerdict {
  verdict: 'sure' | 'possible' | 'none';
  /** Each rule that fired, the CRM contact it found and the values it compared (I6). */
  findings: (DedupeFinding & { crmId: string; crmDisplayName?: string })[];
}

export interface PartnerAssignment {
  partner: Pick<BusinessPartner, 'id' | 'name'>;
  /** Who decided: a resolver (with its reason) or the user. */
  by: 'resolver' | 'user';
  /** The partner resolver that suggested it, so a client can say why in its own language. */
  resolverId?: string;
  reason: string;
}

/** One field both sides changed since the last sync, with both values side by side. */
export interface FieldConflict {
  field: string;
  baseline?: unknown;
  crm?: unknown;
  groupware?: unknown;
  /** Which side's value the policy kept. */
  resolvedTo: 'crm' | 'groupware';
}

export interface PlanItem {
  /** Position in the plan, 0-based and stable: the key every edit and page uses. */
  seq: number;
  /** Export: which list of the assignment table (E3) the item is in; import: ticked or not (I8). */
  selected: boolean;
  crmId?: string;
  groupwareId?: string;
  /** Snapshots as the stages saw them, without photo bytes (`photo.hash` names the blob). */
  crm?: ContactJson;
  groupware?: ContactJson;
  duplicate?: DuplicateVerdict;
  partner?: PartnerAssignment;
  /** Partners the resolvers could not choose between, for the user to pick from. */
  partnerCandidates?: PartnerAssignment[];
  action: PlanAction;
  reason: PlanReason;
  /** Sync: the field changes each side receives, and the conflicts found. */
  changes?: {
    toCrm?: Record<string, unknown>;
    toGroupware?: Record<string, unknown>;
    conflicts?: FieldConflict[];
    /** The baseline the merge was made against, so commit repeats the very merge the plan shows. */
    baseline?: ContactJson;
  };
  /** After commit: what happened, with the problem and its location when it failed. */
  outcome?: {
    state: 'done' | 'failed' | 'refused';
    message?: string;
    problem?: RecordProblem;
    crmId?: string;
    groupwareId?: string;
  };
}

export type PlanItemPatch = Partial<Omit<PlanItem, 'seq'>>;

export interface PlanPageQuery {
  offset?: number;
  limit?: number;
  filter?: {
    selected?: boolean;
    action?: PlanAction;
    reason?: PlanReason;
    verdict?: DuplicateVerdict['verdict'];
    outcome?: 'done' | 'failed' | 'refused' | 'none';
  };
}

export interface PlanPage {
  items: PlanItem[];
  /** Items matching the filter in the whole plan. */
  total: number;
  offset: number;
}
