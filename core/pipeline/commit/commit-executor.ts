import { inject, injectable } from 'inversify';
import { CrmsyncError, problemFromError } from '../../domain/errors.js';
import type { RecordProblem } from '../../domain/problem.js';
import { StateStore } from '../../store/state-store.js';
import type { PlanItem } from '../plan.js';
import type {
  CommitFlow,
  CommitProgress,
  CommitReport,
  CommitTargets,
  ItemWork,
  StepResult,
} from './commit-step.js';
import { type ItemRun, recordOf, StepRounds, stopIfAsked } from './step-rounds.js';

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
    options?: CommitRunOptions,
  ): Promise<CommitReport>;
}

export interface CommitRunOptions {
  onProgress?: (progress: CommitProgress) => void;
  /**
   * Asks the commit to stop between writes (its worker shuts down): it ends with
   * CRMSYNC_ERR_COMMIT_STOPPED and its plan stays `committing`, to be resumed.
   */
  signal?: AbortSignal;
}
export const CommitExecutor = Symbol.for('crmsync.CommitExecutor');

/** How long a commit holds its account's lease without renewing it. */
const leaseTtlMs = 60_000;
/** Items whose writes go out together, a round at a time. */
const itemsPerChunk = 200;

type ItemOutcome = NonNullable<PlanItem['outcome']>;

@injectable()
export class JournalledCommitExecutor implements CommitExecutor {
  constructor(@inject(StateStore) private readonly state: StateStore) {}

  async commit(
    planId: string,
    flow: CommitFlow,
    targets: CommitTargets,
    { onProgress, signal }: CommitRunOptions = {},
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
      const settled = async (item: PlanItem, outcome: ItemOutcome, patch: Partial<PlanItem> = {}) => {
        await this.state.plans.updateItems(planId, [item.seq], { ...patch, outcome });
        count(report, item.seq, outcome);
        finished += 1;
        onProgress?.({ done: finished, total: selected.length });
      };
      const rounds = new StepRounds(
        this.state,
        planId,
        targets,
        async (run) => {
          if (run.problem) await settled(run.item, failed(run.problem), { reason: 'error' });
          else {
            const ids = idsOf(run.item, run.results);
            await settled(run.item, { state: 'done', ...ids }, ids);
          }
        },
        plan.status === 'committing',
        signal,
      );
      onProgress?.({ done: 0, total: selected.length });
      for (let start = 0; start < selected.length; start += itemsPerChunk) {
        stopIfAsked(signal, planId);
        const runs: ItemRun[] = [];
        for (const item of selected.slice(start, start + itemsPerChunk)) {
          if (item.outcome) {
            report.alreadyDone += 1;
            count(report, item.seq, item.outcome);
            finished += 1;
            onProgress?.({ done: finished, total: selected.length });
            continue;
          }
          let work: ItemWork;
          try {
            work = await flow.work(item, plan);
          } catch (error) {
            await settled(item, failed(problemFromError(error, { recordId: recordOf(item) })), {
              reason: 'error',
            });
            continue;
          }
          if ('refused' in work) {
            const problem = {
              code: work.code,
              message: work.refused,
              location: { recordId: recordOf(item) },
            };
            await settled(
              item,
              { state: 'refused', message: work.refused, problem },
              { reason: work.reason },
            );
            continue;
          }
          runs.push({ item, steps: work.steps, next: 0, results: new Map() });
        }
        await rounds.run(runs);
        await this.state.leases.renew(targets.accountId, holder, leaseTtlMs);
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
