import type { Contact } from '../domain/contact.js';
import type { Fetched, RecordProblem } from '../domain/problem.js';
import type { CrmConnector } from '../ports/crm-connector.js';
import type { GroupwareConnector } from '../ports/groupware-connector.js';
import type { PartnerResolver } from '../ports/partner-resolver.js';
import type { StateScope } from '../store/state-store.js';
import type { CommitFlow } from './commit/commit-step.js';
import type { NamedRule } from './dedupe/index.js';
import type { PlanHeader, PlanItem } from './plan.js';

/**
 * A plan item while the stages build it: the item as it will be stored, and the contacts it
 * was made from with their photo bytes, which go to the blobs when the item is stored.
 */
export interface DraftItem {
  item: PlanItem;
  crm?: Contact;
  groupware?: Contact;
}

/** What every stage of a plan may use; only commit writes to the outside world. */
export interface StageContext {
  plan: PlanHeader;
  crm: CrmConnector;
  /** The groupware connector in use; absent when it cannot be reached and a file is exported or imported. */
  groupware?: GroupwareConnector;
  state: StateScope;
  /** The dedupe rules in use, each with the strongest verdict it gives. */
  rules: readonly RuleInUse[];
  /** Problems met on the way (a record that cannot be read), for the plan's summary. */
  problems: RecordProblem[];
  /** Counts for the plan's summary, e.g. contacts passed over because they carry a CRM id (I2). */
  counts: Record<string, number>;
}

export interface RuleInUse extends NamedRule {
  verdict: 'sure' | 'possible';
}

export interface ImportStageContext extends StageContext {
  resolvers: readonly { id: string; resolver: PartnerResolver }[];
  /** The uploaded file's contacts, read as they arrive, imported instead of the groupware's. */
  incoming?: AsyncIterable<Fetched<Contact>>;
}

/** The first stage: the records the plan is about, as items. */
export interface SelectStage<C extends StageContext = StageContext> {
  select(context: C): AsyncIterable<DraftItem>;
}

/** The later stages (match, dedupe, assign): each adds to a batch of items, none writes outside. */
export interface ItemStage<C extends StageContext = StageContext> {
  run(batch: DraftItem[], context: C): Promise<void>;
}

/** One flow's stages, in the order the plan passes through them. */
export interface FlowStages<C extends StageContext = StageContext> {
  select: SelectStage<C>;
  match: ItemStage<C>;
  dedupe: ItemStage<C>;
  assign: ItemStage<C>;
  /** What commit writes for each selected item. */
  commit: CommitFlowFactory;
}

/** Builds a flow's commit for one plan, with what its steps read (photos from the blobs). */
export interface CommitFlowFactory {
  flowFor(context: CommitContext): CommitFlow;
}

export interface CommitContext {
  crm: CrmConnector;
  groupware: GroupwareConnector;
  accountId: string;
  state: StateScope;
}

export const ExportSelectStage = Symbol.for('crmsync.ExportSelectStage');
export const ExportMatchStage = Symbol.for('crmsync.ExportMatchStage');
export const ExportDedupeStage = Symbol.for('crmsync.ExportDedupeStage');
export const ExportAssignStage = Symbol.for('crmsync.ExportAssignStage');
export const ExportCommitFlow = Symbol.for('crmsync.ExportCommitFlow');

export const ImportSelectStage = Symbol.for('crmsync.ImportSelectStage');
export const ImportMatchStage = Symbol.for('crmsync.ImportMatchStage');
export const ImportDedupeStage = Symbol.for('crmsync.ImportDedupeStage');
export const ImportAssignStage = Symbol.for('crmsync.ImportAssignStage');
export const ImportCommitFlow = Symbol.for('crmsync.ImportCommitFlow');
