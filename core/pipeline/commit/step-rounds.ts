import { CrmsyncError, problemFromError } from '../../domain/errors.js';
import type { RecordProblem } from '../../domain/problem.js';
import type { WriteOperation } from '../../ports/write-operation.js';
import type { JournalEntry, Side, StateScope, StateStore } from '../../store/state-store.js';
import type { PlanItem } from '../plan.js';
import { snapshotOf } from '../snapshot.js';
import type { CommitStep, CommitTargets, StepAction, StepResult } from './commit-step.js';
import { beforeImage, intentOf, recoveredWrite } from './write-journal.js';

/** One item on its way through its steps. */
export interface ItemRun {
  item: PlanItem;
  steps: CommitStep[];
  /** Index of the step to run next. */
  next: number;
  results: Map<string, StepResult>;
  /** Set when a step failed: the item stops there. */
  problem?: RecordProblem;
}

type Intent = Parameters<StateScope['journal']['intend']>[0];
type Settlement = { key: string; state: 'done' | 'failed'; outcome: Record<string, unknown> };

interface PendingWrite {
  run: ItemRun;
  step: CommitStep;
  key: string;
  side: Side;
  operation: WriteOperation;
}

/**
 * Runs the steps of many items in rounds: each round takes every item one write further,
 * and the writes of a round go to each side in one `apply`, so a store with a batch endpoint
 * uses it and a folder is indexed once per round, not once per contact. Every write is in the
 * journal as an intent before the round's batch is sent, and settled once the batch has
 * answered. The journal is written a round at a time, in one transaction for the intents and
 * one for the outcomes, not a transaction per contact: a commit interrupted between a write
 * and its outcome's transaction finds the write intended and asks the target whether it
 * happened, as it would for a single write.
 */
export class StepRounds {
  /** Intents of the round being prepared, written together before any of its writes is sent. */
  private intents: Intent[] = [];

  constructor(
    private readonly state: StateStore,
    private readonly planId: string,
    private readonly targets: CommitTargets,
    private readonly finished: (run: ItemRun) => Promise<void>,
    /** False for a first commit: the journal holds nothing of it yet, so it is not asked. */
    private readonly resuming: boolean,
    /** Asks the commit to stop: no round starts after it, and no outcome is waited for. */
    private readonly signal?: AbortSignal,
  ) {}

  async run(runs: ItemRun[]): Promise<void> {
    let active = runs;
    while (active.length > 0) {
      stopIfAsked(this.signal, this.planId);
      const pending: PendingWrite[] = [];
      for (const run of active) {
        const write = await this.advance(run);
        if (write) pending.push(write);
        else await this.finished(run);
      }
      await this.recordIntents();
      for (const side of ['crm', 'groupware'] as const) {
        const batch = pending.filter((write) => write.side === side);
        if (batch.length > 0) await this.write(side, batch);
      }
      active = [];
      for (const { run } of pending) {
        if (run.problem) await this.finished(run);
        else active.push(run);
      }
    }
  }

  /**
   * Takes an item through the steps that need no external write (done before a crash,
   * nothing to do, links), up to the next write, which it records as intended and answers.
   * Answers nothing when the item is finished or failed.
   */
  private async advance(run: ItemRun): Promise<PendingWrite | undefined> {
    while (run.next < run.steps.length) {
      const step = run.steps[run.next]!;
      const key = `${this.planId}:${run.item.seq}:${step.name}`;
      const entry = this.resuming ? await this.state.journal.get(key) : undefined;
      if (entry?.state === 'done' || entry?.state === 'undone') {
        this.stepDone(run, step, (entry.outcome ?? {}) as StepResult);
        continue;
      }
      if (entry?.state === 'failed') {
        run.problem = (entry.outcome as { problem: RecordProblem }).problem;
        return undefined;
      }
      let action: StepAction | undefined;
      try {
        action = await step.build(run.results);
      } catch (error) {
        run.problem = problemFromError(error, { recordId: recordOf(run.item) });
        return undefined;
      }
      if (!action) {
        this.stepDone(run, step, { skipped: true });
        continue;
      }
      if (action.kind !== 'write') {
        await this.link(run.item.seq, key, action, entry);
        this.stepDone(run, step, {});
        continue;
      }
      const store = action.side === 'crm' ? this.targets.crm : this.targets.groupware;
      const operation = { ...action.operation, key } as WriteOperation;
      if (entry) {
        // The write was intended before an interruption; whether it happened is asked of the target.
        const recovered = await recoveredWrite(store, operation, action.side);
        if (recovered) {
          await this.state.journal.settle(key, 'done', { ...recovered });
          this.stepDone(run, step, recovered);
          continue;
        }
      } else {
        const before = await beforeImage(store, operation, this.state.blobs);
        if ('problem' in before) {
          run.problem = before.problem;
          return undefined;
        }
        this.intents.push({
          planId: this.planId,
          key,
          seq: run.item.seq,
          side: action.side,
          operation: operation.kind,
          ...(operation.kind === 'create' ? {} : { targetId: operation.id }),
          ...before,
          intent: intentOf(operation),
        });
      }
      return { run, step, key, side: action.side, operation };
    }
    return undefined;
  }

  /**
   * Sends one round's writes to one side. A store answers a failure as an outcome; one that
   * throws, or leaves an operation unanswered, is out of order as a whole: the commit stops
   * there and can be resumed.
   */
  private async write(side: Side, batch: PendingWrite[]): Promise<void> {
    const store = side === 'crm' ? this.targets.crm : this.targets.groupware;
    const waiting = new Map(batch.map((write) => [write.key, write]));
    const settlements: Settlement[] = [];
    try {
      for await (const outcome of store.apply(batch.map((write) => write.operation))) {
        const write = waiting.get(outcome.key);
        if (!write) continue;
        waiting.delete(outcome.key);
        if (!outcome.ok) {
          settlements.push({
            key: write.key,
            state: 'failed',
            outcome: { problem: outcome.problem, retryable: outcome.retryable },
          });
          write.run.problem = outcome.problem;
          continue;
        }
        const result: StepResult = { side, id: outcome.id };
        if (outcome.version !== undefined) result.version = outcome.version;
        if (outcome.contact) result.contact = snapshotOf(outcome.contact);
        settlements.push({ key: write.key, state: 'done', outcome: { ...result } });
        this.stepDone(write.run, write.step, result);
        // The writes still unanswered were intended: a resumed commit asks whether they happened.
        if (this.signal?.aborted) break;
      }
    } finally {
      // The outcomes that arrived are kept also when the store broke off in the middle.
      await this.settle(settlements);
    }
    if (waiting.size > 0) {
      stopIfAsked(this.signal, this.planId);
      throw new CrmsyncError(
        'CRMSYNC_ERR_INTERNAL',
        `the ${side} gave no outcome for ${[...waiting.keys()].join(', ')}; the commit stopped and can be resumed`,
      );
    }
  }

  /** Links or unlinks a pair; doing it twice leaves it as once, so a resumed step simply repeats it. */
  private async link(
    seq: number,
    key: string,
    action: Exclude<StepAction, { kind: 'write' }>,
    entry: JournalEntry | undefined,
  ): Promise<void> {
    const { accountId } = this.targets;
    const crmId = action.kind === 'link' ? action.link.crmId : action.crmId;
    // Intent, link and outcome in one transaction: a link is written whole or not at all.
    await this.state.transaction(async (scope) => {
      if (!entry) {
        // The link it replaces goes to the journal, so an undo can put it back.
        const previous = await scope.links.get(accountId, { crmId });
        await scope.journal.intend({
          planId: this.planId,
          key,
          seq,
          side: 'groupware',
          operation: action.kind,
          targetId: crmId,
          intent: action.kind === 'link' ? { link: action.link, previous } : { crmId, previous },
        });
      }
      if (action.kind === 'link') await scope.links.put(action.link);
      else await scope.links.remove(accountId, crmId);
      await scope.journal.settle(key, 'done', {});
    });
  }

  /** The round's intents, in one transaction, before any of its writes goes out. */
  private async recordIntents(): Promise<void> {
    const intents = this.intents;
    this.intents = [];
    if (intents.length === 0) return;
    await this.state.transaction(async (scope) => {
      for (const intent of intents) await scope.journal.intend(intent);
    });
  }

  private async settle(settlements: readonly Settlement[]): Promise<void> {
    if (settlements.length === 0) return;
    await this.state.transaction(async (scope) => {
      for (const { key, state, outcome } of settlements) await scope.journal.settle(key, state, outcome);
    });
  }

  private stepDone(run: ItemRun, step: CommitStep, result: StepResult): void {
    run.results.set(step.name, result);
    run.next += 1;
  }
}

export function recordOf(item: PlanItem): string {
  return item.crmId ?? item.groupwareId ?? `plan item ${item.seq}`;
}

/** Ends a commit that was asked to stop, as an interruption that committing again resumes. */
export function stopIfAsked(signal: AbortSignal | undefined, planId: string): void {
  if (signal?.aborted)
    throw new CrmsyncError(
      'CRMSYNC_ERR_COMMIT_STOPPED',
      `the commit of plan ${planId} was asked to stop and stopped between writes; committing it again resumes it`,
      { recordId: planId },
    );
}
