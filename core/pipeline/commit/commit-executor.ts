import { inject, injectable } from 'inversify';
import type { Contact, Photo } from '../../domain/contact.js';
import { CrmsyncError, problemFromError } from '../../domain/errors.js';
import { photoHash } from '../../domain/photo-hash.js';
import type { RecordProblem } from '../../domain/problem.js';
import type { ContactStore } from '../../ports/contact-store.js';
import type { WriteOperation, WriteOutcome } from '../../ports/write-operation.js';
import { type JournalEntry, type Side, StateStore } from '../../store/state-store.js';
import type { PlanHeader, PlanItem } from '../plan.js';
import { snapshotOf } from '../snapshot.js';
import type {
  CommitFlow,
  CommitProgress,
  CommitReport,
  CommitStep,
  CommitTargets,
  StepAction,
  StepResult,
} from './commit-step.js';

/**
 * Writes a plan to the outside world, the one place that does (every flow: export, import,
 * sync). Each selected item's steps run in order; before each write the journal records the
 * intent and the record as it was, after it the outcome. A commit that was interrupted (a
 * crash, a store that threw) leaves its plan `committing`; committing it again resumes: done
 * steps are skipped, and a write whose outcome is unknown is looked up before it is repeated,
 * so no contact is ever created twice.
 */
export interface CommitExecutor {
  commit(
    planId: string,
    flow: CommitFlow,
    targets: CommitTargets,
    onProgress?: (progress: CommitProgress) => void,
  ): Promise<CommitReport>;
}
export const CommitExecutor = Symbol.for('crmsync.CommitExecutor');

/** How long a commit holds its account's lease without renewing it. */
const leaseTtlMs = 60_000;

type ItemOutcome = NonNullable<PlanItem['outcome']>;

@injectable()
export class JournalledCommitExecutor implements CommitExecutor {
  constructor(@inject(StateStore) private readonly state: StateStore) {}

  async commit(
    planId: string,
    flow: CommitFlow,
    targets: CommitTargets,
    onProgress?: (progress: CommitProgress) => void,
  ): Promise<CommitReport> {
    const plan = await this.state.plans.get(planId);
    if (!plan)
      throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `there is no plan ${planId}`, { recordId: planId });
    if (plan.status !== 'draft' && plan.status !== 'committing') {
      throw new CrmsyncError(
        'CRMSYNC_ERR_PLAN_STATE',
        `plan ${planId} is ${plan.status}; only a draft can be committed, or a commit that was interrupted resumed`,
        { recordId: planId },
      );
    }
    // The plan's id holds the lease, so the same plan resumed after a crash gets it back at once.
    const holder = `plan:${planId}`;
    if (!(await this.state.leases.acquire(targets.accountId, holder, leaseTtlMs))) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_ACCOUNT_BUSY',
        `another run is writing to ${targets.accountId}; plan ${planId} was not committed`,
        { recordId: planId },
      );
    }
    let renewedAt = Date.now();
    try {
      if (plan.status === 'draft') await this.state.plans.update(planId, { status: 'committing' });
      const selected: PlanItem[] = [];
      for await (const item of this.state.plans.items(planId, { selected: true })) selected.push(item);
      const report: CommitReport = {
        planId,
        total: selected.length,
        done: 0,
        failed: 0,
        refused: 0,
        alreadyDone: 0,
        problems: [],
      };
      let finished = 0;
      onProgress?.({ done: 0, total: selected.length });
      for (const item of selected) {
        if (item.outcome) {
          report.alreadyDone += 1;
          count(report, item.seq, item.outcome);
        } else {
          const outcome = await this.commitItem(plan, item, flow, targets);
          count(report, item.seq, outcome);
        }
        finished += 1;
        onProgress?.({ done: finished, total: selected.length });
        if (Date.now() - renewedAt > leaseTtlMs / 3) {
          await this.state.leases.renew(targets.accountId, holder, leaseTtlMs);
          renewedAt = Date.now();
        }
      }
      await this.state.plans.update(planId, {
        status: 'committed',
        summary: { committed: { done: report.done, failed: report.failed, refused: report.refused } },
      });
      return report;
    } finally {
      await this.state.leases.release(targets.accountId, holder);
    }
  }

  private async commitItem(
    plan: PlanHeader,
    item: PlanItem,
    flow: CommitFlow,
    targets: CommitTargets,
  ): Promise<ItemOutcome> {
    let outcome: ItemOutcome;
    let work: Awaited<ReturnType<CommitFlow['work']>>;
    try {
      work = await flow.work(item, plan);
    } catch (error) {
      outcome = failed(problemFromError(error, { recordId: recordOf(item) }));
      await this.state.plans.updateItems(plan.id, [item.seq], { outcome });
      return outcome;
    }
    if ('refused' in work) {
      outcome = {
        state: 'refused',
        message: work.refused,
        problem: { code: work.code, message: work.refused, location: { recordId: recordOf(item) } },
      };
      await this.state.plans.updateItems(plan.id, [item.seq], { outcome, reason: work.reason });
      return outcome;
    }
    const results = new Map<string, StepResult>();
    for (const step of work.steps) {
      const problem = await this.runStep(plan.id, item, step, results, targets);
      if (problem) {
        outcome = failed(problem);
        await this.state.plans.updateItems(plan.id, [item.seq], { outcome, reason: 'error' });
        return outcome;
      }
    }
    outcome = { state: 'done', ...idsOf(item, results) };
    const patch: Partial<PlanItem> = { outcome };
    if (outcome.crmId) patch.crmId = outcome.crmId;
    if (outcome.groupwareId) patch.groupwareId = outcome.groupwareId;
    await this.state.plans.updateItems(plan.id, [item.seq], patch);
    return outcome;
  }

  /** Runs one step; answers the problem that failed it, or nothing when it is done. */
  private async runStep(
    planId: string,
    item: PlanItem,
    step: CommitStep,
    results: Map<string, StepResult>,
    targets: CommitTargets,
  ): Promise<RecordProblem | undefined> {
    const key = `${planId}:${item.seq}:${step.name}`;
    const entry = await this.state.journal.get(key);
    if (entry?.state === 'done' || entry?.state === 'undone') {
      results.set(step.name, (entry.outcome ?? {}) as StepResult);
      return undefined;
    }
    if (entry?.state === 'failed') return (entry.outcome as { problem: RecordProblem }).problem;

    let action: StepAction | undefined;
    try {
      action = await step.build(results);
    } catch (error) {
      return problemFromError(error, { recordId: recordOf(item) });
    }
    if (!action) {
      results.set(step.name, { skipped: true });
      return undefined;
    }
    if (action.kind !== 'write')
      return this.runLinkStep(planId, item.seq, key, action, entry, targets, results, step);

    const store = action.side === 'crm' ? targets.crm : targets.groupware;
    const operation = { ...action.operation, key } as WriteOperation;
    if (entry) {
      const recovered = await recover(store, operation, action.side);
      if (recovered) {
        await this.state.journal.settle(key, 'done', { ...recovered });
        results.set(step.name, recovered);
        return undefined;
      }
    } else {
      const before = await this.beforeImage(store, operation, item);
      if ('problem' in before) return before.problem;
      await this.state.journal.intend({
        planId,
        key,
        seq: item.seq,
        side: action.side,
        operation: operation.kind,
        ...(operation.kind === 'create' ? {} : { targetId: operation.id }),
        ...before,
        intent: intentOf(operation),
      });
    }
    const written = await applyOne(store, operation);
    if (!written.ok) {
      await this.state.journal.settle(key, 'failed', {
        problem: written.problem,
        retryable: written.retryable,
      });
      return written.problem;
    }
    const result: StepResult = { side: action.side, id: written.id };
    if (written.version !== undefined) result.version = written.version;
    if (written.contact) result.contact = snapshotOf(written.contact);
    await this.state.journal.settle(key, 'done', { ...result });
    results.set(step.name, result);
    return undefined;
  }

  private async runLinkStep(
    planId: string,
    seq: number,
    key: string,
    action: Exclude<StepAction, { kind: 'write' }>,
    entry: JournalEntry | undefined,
    targets: CommitTargets,
    results: Map<string, StepResult>,
    step: CommitStep,
  ): Promise<undefined> {
    const crmId = action.kind === 'link' ? action.link.crmId : action.crmId;
    if (!entry) {
      const previous = await this.state.links.get(targets.accountId, { crmId });
      await this.state.journal.intend({
        planId,
        key,
        seq,
        side: 'groupware',
        operation: action.kind,
        targetId: crmId,
        intent: action.kind === 'link' ? { link: action.link, previous } : { crmId, previous },
      });
    }
    // Putting or removing a link twice leaves it as once: a resumed step simply repeats it.
    if (action.kind === 'link') await this.state.links.put(action.link);
    else await this.state.links.remove(targets.accountId, crmId);
    await this.state.journal.settle(key, 'done', {});
    results.set(step.name, { skipped: false });
    return undefined;
  }

  /** The record as it was before an update, delete or photo write, for the journal and an undo. */
  private async beforeImage(
    store: ContactStore,
    operation: WriteOperation,
    item: PlanItem,
  ): Promise<Pick<JournalEntry, 'before' | 'beforePhotoHash'> | { problem: RecordProblem }> {
    if (operation.kind === 'create') return {};
    let current: Awaited<ReturnType<ContactStore['getContact']>>;
    try {
      current = await store.getContact(operation.id);
    } catch (error) {
      return { problem: problemFromError(error, { recordId: operation.id }) };
    }
    if (!current) {
      if (operation.kind === 'delete') return {};
      return {
        problem: {
          code: 'CRMSYNC_ERR_NOT_FOUND',
          message: `the contact to ${operation.kind === 'photo' ? 'give a photo' : 'update'} is gone`,
          location: { recordId: operation.id ?? recordOf(item) },
        },
      };
    }
    const before: Pick<JournalEntry, 'before' | 'beforePhotoHash'> = { before: snapshotOf(current) };
    if (current.photo?.bytes) {
      before.beforePhotoHash = await this.state.blobs.put(current.photo.mediaType, current.photo.bytes);
    } else if (current.photo?.hash) before.beforePhotoHash = current.photo.hash;
    return before;
  }
}

/**
 * What an interrupted write did, judged from the target: a create is found by the stamp it
 * leaves; an update or photo write happened when the record's version moved on from the one
 * it was based on; a delete happened when the record is gone. Undefined: write it again.
 */
async function recover(
  store: ContactStore,
  operation: WriteOperation,
  side: Side,
): Promise<StepResult | undefined> {
  if (operation.kind === 'create') {
    const created = await store.findCreated(operation);
    return created ? resultOf(side, created) : undefined;
  }
  const current = await store.getContact(operation.id);
  if (operation.kind === 'delete') return current ? undefined : { side, id: operation.id };
  if (!current) return undefined;
  const version = side === 'crm' ? current.ids.crmVersion : current.ids.groupwareVersion;
  return version !== undefined && version !== operation.expectedVersion ? resultOf(side, current) : undefined;
}

function resultOf(side: Side, contact: Contact): StepResult {
  const id = side === 'crm' ? contact.ids.crmId : contact.ids.groupwareId;
  const version = side === 'crm' ? contact.ids.crmVersion : contact.ids.groupwareVersion;
  const result: StepResult = { side, contact: snapshotOf(contact) };
  if (id !== undefined) result.id = id;
  if (version !== undefined) result.version = version;
  return result;
}

/**
 * The outcome of one operation. A store answers failures as outcomes; one that throws instead
 * is out of order as a whole, so the error interrupts the commit, which can be resumed later.
 */
async function applyOne(store: ContactStore, operation: WriteOperation): Promise<WriteOutcome> {
  for await (const outcome of store.apply([operation])) if (outcome.key === operation.key) return outcome;
  throw new CrmsyncError('CRMSYNC_ERR_INTERNAL', `the store gave no outcome for ${operation.key}`, {
    recordId: 'id' in operation ? operation.id : undefined,
  });
}

/** The operation as the journal keeps it: without photo bytes, enough to tell what was meant. */
function intentOf(operation: WriteOperation): Record<string, unknown> {
  switch (operation.kind) {
    case 'create':
      return { kind: 'create', contact: snapshotOf(operation.contact) };
    case 'update':
      return {
        kind: 'update',
        id: operation.id,
        expectedVersion: operation.expectedVersion,
        contact: snapshotOf(operation.contact),
      };
    case 'delete':
      return { kind: 'delete', id: operation.id, expectedVersion: operation.expectedVersion };
    case 'photo':
      return {
        kind: 'photo',
        id: operation.id,
        expectedVersion: operation.expectedVersion,
        photo: operation.photo
          ? { mediaType: operation.photo.mediaType, hash: hashOf(operation.photo) }
          : null,
      };
  }
}

function hashOf(photo: Photo): string | undefined {
  return photo.hash ?? (photo.bytes ? photoHash(photo.bytes) : undefined);
}

/** The ids an item ends with: the last written on each side, else those it was planned with. */
function idsOf(item: PlanItem, results: Map<string, StepResult>): { crmId?: string; groupwareId?: string } {
  const ids: { crmId?: string; groupwareId?: string } = {};
  if (item.crmId) ids.crmId = item.crmId;
  if (item.groupwareId) ids.groupwareId = item.groupwareId;
  for (const result of results.values()) {
    if (result.side === 'crm' && result.id) ids.crmId = result.id;
    if (result.side === 'groupware' && result.id) ids.groupwareId = result.id;
  }
  return ids;
}

function recordOf(item: PlanItem): string {
  return item.crmId ?? item.groupwareId ?? `plan item ${item.seq}`;
}

function failed(problem: RecordProblem): ItemOutcome {
  return { state: 'failed', message: problem.message, problem };
}

function count(report: CommitReport, seq: number, outcome: ItemOutcome): void {
  if (outcome.state === 'done') report.done += 1;
  else {
    if (outcome.state === 'failed') report.failed += 1;
    else report.refused += 1;
    if (outcome.problem) report.problems.push({ seq, problem: outcome.problem });
  }
}
