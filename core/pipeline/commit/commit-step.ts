import type { ContactJson } from '../../domain/contact-json.js';
import type { ErrorCode } from '../../domain/error-catalogue.js';
import type { RecordProblem } from '../../domain/problem.js';
import type { ContactStore } from '../../ports/contact-store.js';
import type { WriteOperation } from '../../ports/write-operation.js';
import type { AccountId, Link, Side } from '../../store/state-store.js';
import type { PlanHeader, PlanItem, PlanReason } from '../plan.js';

/** A write operation as a step builds it: the executor gives it its idempotency key. */
export type StepWrite = WithoutKey<WriteOperation>;
type WithoutKey<T> = T extends unknown ? Omit<T, 'key'> : never;

/** What one step does: write to one side, or link or unlink the pair in the state store. */
export type StepAction =
  | { kind: 'write'; side: Side; operation: StepWrite }
  | { kind: 'link'; link: Link }
  | { kind: 'unlink'; crmId: string };

/** What a finished step left behind, for the steps after it (a create's new id, above all). */
export interface StepResult {
  side?: Side;
  /** The record's id on the written side. */
  id?: string;
  /** Its version after the write. */
  version?: string;
  /** The record as the side holds it after the write, without photo bytes. */
  contact?: ContactJson;
  /** The step had nothing to do. */
  skipped?: boolean;
}

export type StepResults = ReadonlyMap<string, StepResult>;

/**
 * One write of a plan item. Its name is stable for the item, because it is part of the
 * idempotency key `${planId}:${seq}:${name}` a resumed commit finds its journal entry by;
 * `build` must give the same action for the same results, so a resume repeats a write exactly.
 */
export interface CommitStep {
  name: string;
  /** The action, built from the results of the steps before it; `undefined` when there is nothing to do. */
  build(earlier: StepResults): Promise<StepAction | undefined> | StepAction | undefined;
}

/** A selected item's steps in order, or why the engine refuses to write it at all. */
export type ItemWork = { steps: CommitStep[] } | { refused: string; reason: PlanReason; code: ErrorCode };

/** The flow-specific part of a commit: what to write for each selected item. */
export interface CommitFlow {
  work(item: PlanItem, plan: PlanHeader): ItemWork | Promise<ItemWork>;
}

/** The two sides a commit writes to, and the groupware account its links belong to. */
export interface CommitTargets {
  accountId: AccountId;
  crm: ContactStore;
  groupware: ContactStore;
}

export interface CommitProgress {
  done: number;
  total: number;
}

export interface CommitReport {
  planId: string;
  total: number;
  done: number;
  failed: number;
  refused: number;
  /** Items a resumed commit found finished already. */
  alreadyDone: number;
  problems: { seq: number; problem: RecordProblem }[];
}
