import { randomUUID } from 'node:crypto';
import { CrmsyncError } from '../../domain/errors.js';
import type { RecordProblem } from '../../domain/problem.js';
import type { StateStore } from '../../store/state-store.js';
import type { CommitExecutor } from '../commit/commit-executor.js';
import type { CommitReport } from '../commit/commit-step.js';
import { checkDeletions, defaultMaxDeletionShare } from '../guards/deletion-guard.js';
import { defaultConflictPolicy } from '../merge/conflict-policy.js';
import type { PlanHeader, PlanItem } from '../plan.js';
import { snapshotOf } from '../snapshot.js';
import { assignAdded, assignLinked, type DraftSyncItem } from './assign-sync-items.js';
import { readChangesOrAll } from './change-set.js';
import { mapInOrder } from './in-order.js';
import { cursorPastOwnWrites } from './own-writes-cursor.js';
import { pairChanges } from './pair-changes.js';
import { SyncCommitFlow } from './sync-commit-flow.js';
import type { SyncPlanOptions, SyncSettings, SyncTargets } from './sync-targets.js';

/** How long planning holds the account's lease; the commit renews it as it goes. */
const leaseTtlMs = 60_000;
/** Items stored per round trip to the store. */
const itemBatch = 500;
/** Contacts (and photos) read at once while the items are assigned. */
const readsAtOnce = 8;
/** Problems kept in a plan's summary; the items keep every one. */
const summaryProblems = 50;

export interface SyncRunResult {
  plan: PlanHeader;
  /** Absent when the plan was not committed (a dry run, or stopped by the deletion guard). */
  commit?: CommitReport;
  /** Contacts written on each side by the commit (creates, updates, deletes, photos). */
  written: { crm: number; groupware: number };
}

/**
 * Ongoing sync (S1, S2) for one groupware account: plan from the changes of both sides since
 * the stored cursors, stop for confirmation where the deletion guard says so, commit through
 * the shared executor, and store the new cursors only once a commit left nothing failed, so
 * a change is never skipped.
 */
export class SyncEngine {
  constructor(
    private readonly state: StateStore,
    private readonly executor: CommitExecutor,
  ) {}

  /**
   * Plans a sync and commits it unless the guard stops it. A commit of this account that was
   * interrupted (a crash) is finished first, from its journal, so nothing it began is left
   * half done or done twice.
   */
  async run(
    targets: SyncTargets,
    settings: Partial<SyncSettings> = {},
    owner: { ownerId?: string } = {},
    signal?: AbortSignal,
  ): Promise<SyncRunResult> {
    for (const interrupted of await this.state.plans.list({
      kind: 'sync',
      accountId: targets.accountId,
      limit: 20,
    }))
      if (interrupted.status === 'committing') await this.commitPlan(interrupted, targets, signal);
    const plan = await this.build(targets, settings, { keepLease: true, ...owner });
    if (plan.status !== 'draft') return { plan, written: { crm: 0, groupware: 0 } };
    return this.commitPlan(plan, targets, signal);
  }

  /** A plan not committed: a dry run, or a plan to confirm or commit later. */
  plan(
    targets: SyncTargets,
    settings: Partial<SyncSettings> = {},
    owner: { ownerId?: string } = {},
  ): Promise<PlanHeader> {
    return this.build(targets, settings, { keepLease: false, ...owner });
  }

  /** Commits a plan made earlier (a dry run), when nothing synced the account since. */
  async commit(planId: string, targets: SyncTargets, signal?: AbortSignal): Promise<SyncRunResult> {
    const plan = await this.planOf(planId, ['draft', 'committing']);
    if (plan.status === 'draft') await this.refuseStale(plan);
    return this.commitPlan(plan, targets, signal);
  }

  /** A person confirmed the deletions the guard stopped: the plan is committed. */
  async confirm(planId: string, targets: SyncTargets, signal?: AbortSignal): Promise<SyncRunResult> {
    const plan = await this.planOf(planId, ['awaiting-confirmation']);
    await this.refuseStale(plan);
    const draft = await this.state.plans.update(planId, {
      status: 'draft',
      summary: { confirmedAt: Date.now() },
    });
    return this.commitPlan(draft, targets, signal);
  }

  /** A person rejected the plan: nothing is written and the changes stay to be synced later. */
  async reject(planId: string): Promise<PlanHeader> {
    await this.planOf(planId, ['awaiting-confirmation', 'draft']);
    return this.state.plans.update(planId, { status: 'cancelled' });
  }

  private async build(
    targets: SyncTargets,
    given: Partial<SyncSettings>,
    how: { keepLease: boolean; ownerId?: string },
  ): Promise<PlanHeader> {
    const settings: SyncSettings = {
      policy: given.policy ?? defaultConflictPolicy,
      maxDeletionShare: given.maxDeletionShare ?? defaultMaxDeletionShare,
    };
    const planId = randomUUID();
    const holder = `plan:${planId}`;
    const { accountId } = targets;
    if (!(await this.state.leases.acquire(accountId, holder, leaseTtlMs)))
      throw new CrmsyncError('CRMSYNC_ERR_ACCOUNT_BUSY', `another run is syncing ${accountId}`, {
        recordId: accountId,
      });
    let keep = false;
    try {
      const cursorsFrom = await this.storedCursors(accountId);
      const [crm, groupware] = await Promise.all([
        readChangesOrAll(targets.crm, cursorsFrom.crm, (contact) => contact.ids.crmId),
        readChangesOrAll(targets.groupware, cursorsFrom.groupware, (contact) => contact.ids.groupwareId),
      ]);
      const paired = await pairChanges(accountId, this.state.links, { crm, groupware });
      // A first run over ten thousand contacts takes a while: the lease must outlast it.
      const keepLease = async (done: number) => {
        if (done % itemBatch === 0) await this.state.leases.renew(accountId, holder, leaseTtlMs);
      };
      const problems = [...crm.problems, ...groupware.problems];
      const drafts: DraftSyncItem[] = [
        ...(await mapInOrder(
          [...paired.linked.values()],
          readsAtOnce,
          (change) => assignLinked(change, targets, settings),
          keepLease,
        )),
        ...(await mapInOrder(
          paired.toAdd,
          readsAtOnce,
          (contact) => assignAdded(contact, targets),
          keepLease,
        )),
        ...problems.map(problemItem),
      ];
      const deletions = deletionsOf(drafts);
      const linked = await this.state.links.count(accountId);
      const guard = checkDeletions({ linked, deletions }, settings.maxDeletionShare);

      const cursorsTo: SyncPlanOptions['cursorsTo'] = {};
      if (crm.cursor) cursorsTo.crm = crm.cursor;
      if (groupware.cursor) cursorsTo.groupware = groupware.cursor;
      const options: SyncPlanOptions = { ...settings, cursorsFrom, cursorsTo };
      const header = await this.state.plans.create({
        id: planId,
        kind: 'sync',
        accountId,
        status: 'draft',
        options: options as unknown as Record<string, unknown>,
        summary: {
          reasons: reasonsOf(drafts),
          read: { crm: crm.read, groupware: groupware.read },
          echoes: paired.echoes,
          notLinked: paired.unlinked,
          linked,
          deletions,
          problems: problems.slice(0, summaryProblems),
          ...(guard.stop ? { guard: guard.reasons } : {}),
        },
        ...(how.ownerId === undefined ? {} : { ownerId: how.ownerId }),
      });
      await this.storeItems(planId, drafts);
      const plan = guard.stop
        ? await this.state.plans.update(planId, { status: 'awaiting-confirmation' })
        : header;
      keep = how.keepLease && !guard.stop;
      return plan;
    } finally {
      if (!keep) await this.state.leases.release(accountId, holder);
    }
  }

  private async storeItems(planId: string, drafts: DraftSyncItem[]): Promise<void> {
    for (let start = 0; start < drafts.length; start += itemBatch) {
      const items: PlanItem[] = [];
      for (const [offset, draft] of drafts.slice(start, start + itemBatch).entries()) {
        const item: PlanItem = { ...draft.item, seq: start + offset };
        for (const side of ['crm', 'groupware'] as const) {
          const contact = draft[side];
          if (!contact) continue;
          // Only a contact to be written needs its photo's bytes at commit.
          if (contact.photo?.bytes && item.action !== 'skip')
            await this.state.blobs.put(contact.photo.mediaType, contact.photo.bytes);
          item[side] = snapshotOf(contact);
        }
        items.push(item);
      }
      await this.state.plans.addItems(planId, items);
    }
  }

  private async commitPlan(
    plan: PlanHeader,
    targets: SyncTargets,
    signal: AbortSignal | undefined,
  ): Promise<SyncRunResult> {
    const flow = new SyncCommitFlow(targets, this.state.blobs);
    const report = await this.executor.commit(plan.id, flow, targets, { signal });
    const options = plan.options as unknown as SyncPlanOptions;
    const clean = report.failed === 0 && report.refused === 0;
    if (clean) {
      for (const side of ['crm', 'groupware'] as const) {
        const read = options.cursorsTo[side];
        if (!read) continue;
        const store = side === 'crm' ? targets.crm : targets.groupware;
        const cursor = (await cursorPastOwnWrites(this.state, plan.id, side, store, read)) ?? read;
        await this.state.cursors.put(targets.accountId, side, cursor);
      }
    }
    const written = { crm: 0, groupware: 0 };
    for await (const entry of this.state.journal.entries(plan.id, { state: 'done' }))
      if (entry.operation !== 'link' && entry.operation !== 'unlink') written[entry.side] += 1;
    const header = await this.state.plans.update(plan.id, {
      // Without stored cursors the next run reads these changes again; echoes of what did succeed are skipped.
      summary: { written, cursorsStored: clean },
    });
    return { plan: header, commit: report, written };
  }

  private async planOf(planId: string, allowed: readonly PlanHeader['status'][]): Promise<PlanHeader> {
    const plan = await this.state.plans.get(planId);
    if (plan?.kind !== 'sync')
      throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `there is no sync plan ${planId}`, {
        recordId: planId,
      });
    if (!allowed.includes(plan.status))
      throw new CrmsyncError(
        'CRMSYNC_ERR_PLAN_STATE',
        `sync plan ${planId} is ${plan.status}; this needs a plan that is ${allowed.join(' or ')}`,
        { recordId: planId },
      );
    return plan;
  }

  /** A plan read from cursors another run has moved on from would apply old changes over new ones. */
  private async refuseStale(plan: PlanHeader): Promise<void> {
    const from = (plan.options as unknown as SyncPlanOptions).cursorsFrom;
    const now = await this.storedCursors(plan.accountId);
    if (now.crm !== from.crm || now.groupware !== from.groupware)
      throw new CrmsyncError(
        'CRMSYNC_ERR_PLAN_STATE',
        `sync plan ${plan.id} is out of date: the account was synced since it was made; plan again`,
        { recordId: plan.id },
      );
  }

  private async storedCursors(accountId: string): Promise<{ crm?: string; groupware?: string }> {
    const cursors: { crm?: string; groupware?: string } = {};
    const crm = await this.state.cursors.get(accountId, 'crm');
    const groupware = await this.state.cursors.get(accountId, 'groupware');
    if (crm !== undefined) cursors.crm = crm;
    if (groupware !== undefined) cursors.groupware = groupware;
    return cursors;
  }
}

/** A record one side could not read: an item of its own, so it is shown with its location. */
function problemItem(problem: RecordProblem): DraftSyncItem {
  return {
    item: {
      selected: false,
      action: 'skip',
      reason: 'error',
      outcome: { state: 'failed', message: problem.message, problem },
    },
  };
}

/** Linked contacts each side loses by the plan, for the deletion guard. */
function deletionsOf(drafts: readonly DraftSyncItem[]): Record<'crm' | 'groupware', number> {
  const deletions = { crm: 0, groupware: 0 };
  for (const draft of drafts) for (const side of draft.removes ?? []) deletions[side] += 1;
  return deletions;
}

function reasonsOf(drafts: readonly DraftSyncItem[]): Record<string, number> {
  const reasons: Record<string, number> = {};
  for (const draft of drafts) reasons[draft.item.reason] = (reasons[draft.item.reason] ?? 0) + 1;
  return reasons;
}
