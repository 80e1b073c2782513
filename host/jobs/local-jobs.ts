import { EventEmitter } from 'node:events';
import { CrmsyncError, type PlanHeader, problemFromError } from '../../core/index.js';
import { isActiveState, type JobRecords, type JobState, type JobView, type JobWork } from './job-records.js';

interface LiveJob {
  view: JobView;
  events: EventEmitter;
  ended?: Promise<void>;
}

/** Told of each job that ended, with the account it wrote to (metrics). */
export type JobEndListener = (view: JobView, accountId: string) => void;

/** Progress of a large commit comes item by item; listeners and the store hear it a few times a second. */
export const progressEveryMs = 100;

/**
 * Jobs run in this process: one per account at a time, the others of the account wait their
 * turn. A job's state is written into its plan's summary when it is queued, when it starts and
 * when it ends, so after a restart a finished job still answers with its result.
 */
export class LocalJobs {
  private readonly live = new Map<string, LiveJob>();
  private readonly accountTails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly records: JobRecords,
    private readonly onEnd: JobEndListener = () => undefined,
  ) {}

  /** Queues `work` for `plan`; a plan whose job is queued or running here is refused. */
  async start(plan: PlanHeader, kind: string, work: JobWork): Promise<JobView> {
    const running = this.live.get(plan.id);
    if (running && isActiveState(running.view.state))
      throw new CrmsyncError('CRMSYNC_ERR_PLAN_STATE', `plan ${plan.id} is already being committed`, {
        recordId: plan.id,
      });
    const view: JobView = { id: plan.id, planId: plan.id, kind, state: 'queued', queuedAt: Date.now() };
    const job: LiveJob = { view, events: new EventEmitter() };
    this.live.set(plan.id, job);
    await this.records.write(plan.id, view);
    job.ended = this.inTurn(plan.accountId, () => this.run(job, plan.accountId, work));
    return { ...view };
  }

  /**
   * Runs `work` in the account's turn, for a job that has no plan until it runs (a scheduled
   * sync); it records its end in the plan it made.
   */
  whenTurn(accountId: string, work: () => Promise<void>): Promise<void> {
    return this.inTurn(accountId, work);
  }

  /** The plan's job, while this process has it. */
  view(planId: string): JobView | undefined {
    const live = this.live.get(planId);
    return live && { ...live.view };
  }

  running(): number {
    let count = 0;
    for (const job of this.live.values()) if (job.view.state === 'running') count += 1;
    return count;
  }

  waiting(): number {
    let count = 0;
    for (const job of this.live.values()) if (job.view.state === 'queued') count += 1;
    return count;
  }

  /** Calls `listener` with the job as it changes until it ends; undefined if this process does not have it. */
  follow(planId: string, listener: (view: JobView) => void): (() => void) | undefined {
    const live = this.live.get(planId);
    if (!live) return undefined;
    const onChange = (view: JobView) => listener(view);
    live.events.on('change', onChange);
    return () => live.events.off('change', onChange);
  }

  /** Waits until the plan's job in this process (if any) has ended. */
  async ended(planId: string): Promise<void> {
    await this.live.get(planId)?.ended;
  }

  /** Waits for every job started so far (a host closing lets them finish). */
  async settled(): Promise<void> {
    await Promise.all([...this.accountTails.values()]);
  }

  private inTurn(accountId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.accountTails.get(accountId) ?? Promise.resolve();
    const tail = previous.then(work).catch(() => undefined);
    this.accountTails.set(accountId, tail);
    void tail.then(() => {
      if (this.accountTails.get(accountId) === tail) this.accountTails.delete(accountId);
    });
    return tail;
  }

  private async run(job: LiveJob, accountId: string, work: JobWork): Promise<void> {
    const { view } = job;
    this.change(job, { state: 'running', startedAt: Date.now() });
    await this.records.write(view.planId, view);
    let lastSent = 0;
    let end: JobState;
    try {
      const result = await work((done, total) => {
        view.progress = { done, total };
        const now = Date.now();
        if (now - lastSent >= progressEveryMs || done === total) {
          lastSent = now;
          this.change(job, {});
        }
      });
      const { job: _record, ...outcome } = result;
      view.result = outcome;
      end = 'done';
    } catch (error) {
      view.error = problemFromError(error, { recordId: view.planId });
      end = 'failed';
    }
    view.finishedAt = Date.now();
    const recorded = await this.records.write(view.planId, { ...view, state: end }).then(
      () => true,
      () => false,
    );
    this.change(job, { state: end });
    // Once its end is in the store the job is read from there; a long-running host keeps no
    // record of every job it ever ran. One whose end could not be stored stays here.
    if (recorded) this.live.delete(view.planId);
    this.onEnd({ ...view }, accountId);
  }

  private change(job: LiveJob, change: Partial<JobView>): void {
    Object.assign(job.view, change);
    job.events.emit('change', { ...job.view });
  }
}
