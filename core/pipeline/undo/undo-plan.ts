import type { Contact } from '../../domain/contact.js';
import type { ContactJson } from '../../domain/contact-json.js';
import { CrmsyncError, problemFromError } from '../../domain/errors.js';
import type { RecordProblem } from '../../domain/problem.js';
import type { ContactStore } from '../../ports/contact-store.js';
import type { WriteOperation, WriteOutcome } from '../../ports/write-operation.js';
import type { JournalEntry, Link, Side, StateStore } from '../../store/state-store.js';
import type { CommitTargets, StepResult } from '../commit/commit-step.js';
import { type RecordChange, recoveredChange } from '../commit/write-journal.js';
import { contactOf } from '../snapshot.js';

export interface UndoReport {
  planId: string;
  /** Writes and link changes put back. */
  restored: number;
  /** Records changed by someone since the plan wrote them: reported, never overwritten. */
  changedSince: { key: string; side: Side; recordId: string }[];
  failed: { key: string; problem: RecordProblem }[];
}

const leaseTtlMs = 60_000;

/**
 * Undoes a committed plan from its journal: each write's before-image goes back, newest
 * first, each based on the version the plan left, so a record someone changed since is
 * reported and left alone. A link the plan updated stays as the plan left it: the records
 * put back then differ from it, and the next sync carries the old values to the other side
 * too, instead of bringing the undone change back.
 */
export class PlanUndo {
  constructor(private readonly state: StateStore) {}

  async undo(planId: string, targets: CommitTargets): Promise<UndoReport> {
    const plan = await this.state.plans.get(planId);
    if (!plan)
      throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `there is no plan ${planId}`, { recordId: planId });
    if (plan.status !== 'committed')
      throw new CrmsyncError(
        'CRMSYNC_ERR_PLAN_STATE',
        `plan ${planId} is ${plan.status}; only a committed plan can be undone`,
        { recordId: planId },
      );
    const holder = `undo:${planId}`;
    if (!(await this.state.leases.acquire(targets.accountId, holder, leaseTtlMs)))
      throw new CrmsyncError('CRMSYNC_ERR_ACCOUNT_BUSY', `another run is writing to ${targets.accountId}`, {
        recordId: planId,
      });
    const report: UndoReport = { planId, restored: 0, changedSince: [], failed: [] };
    try {
      const entries: JournalEntry[] = [];
      for await (const entry of this.state.journal.entries(planId, { state: 'done' }))
        if (!entry.key.endsWith(':undo')) entries.push(entry);
      for (const entry of entries.reverse()) {
        await this.state.leases.renew(targets.accountId, holder, leaseTtlMs);
        await this.undoEntry(entry, targets, report);
      }
      // A write that failed leaves the plan committed, so the undo can be run again for it.
      await this.state.plans.update(planId, {
        ...(report.failed.length === 0 ? { status: 'undone' as const } : {}),
        summary: {
          undo: {
            restored: report.restored,
            changedSince: report.changedSince,
            failed: report.failed.length,
          },
        },
      });
      return report;
    } finally {
      await this.state.leases.release(targets.accountId, holder);
    }
  }

  private async undoEntry(entry: JournalEntry, targets: CommitTargets, report: UndoReport): Promise<void> {
    if (entry.operation === 'link' || entry.operation === 'unlink') {
      const previous = (entry.intent as { previous?: Link }).previous;
      if (entry.operation === 'unlink' && previous) await this.state.links.put(previous);
      if (entry.operation === 'link' && !previous)
        await this.state.links.remove(targets.accountId, entry.targetId!);
      await this.state.journal.settle(entry.key, 'undone');
      report.restored += 1;
      return;
    }
    const store = entry.side === 'crm' ? targets.crm : targets.groupware;
    const done = (entry.outcome ?? {}) as StepResult;
    const recordId = done.id ?? entry.targetId ?? '';
    try {
      // An undo interrupted after this write was put back only needs its bookkeeping finished.
      if (await this.alreadyPutBack(entry, store)) {
        await this.state.journal.settle(entry.key, 'undone');
        report.restored += 1;
        return;
      }
      const operation = await this.reverse(entry, store, done);
      if (operation === 'changed') {
        report.changedSince.push({ key: entry.key, side: entry.side, recordId });
        return;
      }
      if (operation) {
        const key = operation.key;
        if (!(await this.state.journal.get(key)))
          await this.state.journal.intend({
            planId: entry.planId,
            key,
            seq: entry.seq,
            side: entry.side,
            operation: operation.kind,
            ...(operation.kind === 'create' ? {} : { targetId: operation.id }),
            intent: {
              undoes: entry.key,
              ...(operation.kind === 'create' ? {} : { expectedVersion: operation.expectedVersion }),
            },
          });
        const outcome = await applyOne(store, operation);
        if (!outcome.ok) {
          await this.state.journal.settle(key, 'failed', { problem: outcome.problem });
          report.failed.push({ key: entry.key, problem: outcome.problem });
          return;
        }
        await this.state.journal.settle(key, 'done', { id: outcome.id, version: outcome.version });
        if (operation.kind === 'create' && entry.side === 'groupware')
          await this.relink(targets, entry.before, outcome.id, outcome.version);
      }
      await this.state.journal.settle(entry.key, 'undone');
      report.restored += 1;
    } catch (error) {
      report.failed.push({ key: entry.key, problem: problemFromError(error, { recordId }) });
    }
  }

  /**
   * Whether an earlier undo already put this write back: its journal says so, or it died
   * between the write and the journal and the record shows it (moved on from the version the
   * undo was based on, or gone when the undo deleted it), as a resumed commit judges.
   */
  private async alreadyPutBack(entry: JournalEntry, store: ContactStore): Promise<boolean> {
    const earlier = await this.state.journal.get(`${entry.key}:undo`);
    if (!earlier) return false;
    if (earlier.state === 'done') return true;
    if (earlier.state !== 'intent' || earlier.operation === 'create' || !earlier.targetId) return false;
    const { expectedVersion = '' } = earlier.intent as { expectedVersion?: string };
    const kind = earlier.operation as RecordChange['kind'];
    const recovered = await recoveredChange(
      store,
      { kind, id: earlier.targetId, expectedVersion },
      entry.side,
    );
    if (recovered) await this.state.journal.settle(earlier.key, 'done', { recovered: true });
    return recovered !== undefined;
  }

  /** The write that puts the before-image back; `changed` when the record moved on since. */
  private async reverse(
    entry: JournalEntry,
    store: ContactStore,
    done: StepResult,
  ): Promise<WriteOperation | 'changed' | undefined> {
    const key = `${entry.key}:undo`;
    if (entry.operation === 'delete') {
      if (!entry.before) return undefined;
      return { kind: 'create', key, contact: await this.beforeContact(entry.before, entry.beforePhotoHash) };
    }
    const id = done.id ?? entry.targetId!;
    const current = await store.getContact(id);
    if (!current) return entry.operation === 'create' ? undefined : 'changed';
    const version = entry.side === 'crm' ? current.ids.crmVersion : current.ids.groupwareVersion;
    if (done.version !== undefined && version !== done.version) return 'changed';
    const expectedVersion = version!;
    if (entry.operation === 'create') return { kind: 'delete', key, id, expectedVersion };
    if (!entry.before) return undefined;
    const before = await this.beforeContact(entry.before, entry.beforePhotoHash);
    if (entry.operation === 'photo') return { kind: 'photo', key, id, expectedVersion, photo: before.photo };
    return { kind: 'update', key, id, expectedVersion, contact: before };
  }

  private async beforeContact(before: ContactJson, photoHash: string | undefined): Promise<Contact> {
    const blob = photoHash ? await this.state.blobs.get(photoHash) : undefined;
    const contact = contactOf(before, blob?.bytes);
    if (!blob) delete contact.photo;
    return contact;
  }

  /** A groupware copy put back has a new id: its restored link follows it. */
  private async relink(
    targets: CommitTargets,
    before: ContactJson | undefined,
    groupwareId: string,
    version: string | undefined,
  ): Promise<void> {
    const crmId = before?.ids?.crmId;
    if (!crmId) return;
    const link = await this.state.links.get(targets.accountId, { crmId });
    if (!link) return;
    const moved: Link = { ...link, groupwareId };
    if (version !== undefined) moved.groupwareVersion = version;
    await this.state.links.put(moved);
  }
}

async function applyOne(store: ContactStore, operation: WriteOperation): Promise<WriteOutcome> {
  for await (const outcome of store.apply([operation])) if (outcome.key === operation.key) return outcome;
  throw new CrmsyncError('CRMSYNC_ERR_INTERNAL', `the store gave no outcome for ${operation.key}`);
}
