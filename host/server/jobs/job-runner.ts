import { EventEmitter } from 'node:events';
import {
  CrmsyncError,
  type PlanHeader,
  problemFromError,
  type RecordProblem,
  type StateStore,
} from '../../../core/index.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'interrupted';

/** A job that has not ended: waiting its turn or at work. */
export const isActiveState = (state: JobState | undefined): boolean =>
  state === 'queued' || state === 'running';

/** A commit or sync run working in the background: its plan is its identity. */
export interface JobView {
  id: string;
  planId: string;
  kind: string;
  state: JobState;
  progress?: { done: number; total: number };
  result?: Record<string, unknown>;
  error?: RecordProblem;
  queuedAt?: number;
  finishedAt?: number;
}

/** What a job does; it reports progress and answers its result. */
export type JobWork = (progress: (done: number, total: number) => void) => Promise<Record<string, unknown>>;

/** The job's record in the plan's summary, so its end outlives the process. */
interface StoredJob {
  kind: string;
  state: JobState;
  queuedAt: number;
  finishedAt?: number;
  progress?: { done: number; total: number };
  result?: Record<string, unknown>;
  error?: RecordProblem;
}

interface LiveJob {
  view: JobView;
  events: EventEmitter;
  ended?: Promise<void>;
}

/**
 * Commits and sync runs as jobs, in this process: one job per account at a time, the others
 * of the account wait their turn. A job's state is written into its plan's summary when it is
 * queued and when it ends, so after a restart a finished job still answers with its result,
 * and one that was running answers `interrupted` (committing its plan again resumes it).
 */
export class JobRunner {
  private readonly live = new Map<string, LiveJob>();
  private readonly accountTails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly state: StateStore,
    /** Told of each job that ended, with its end state (metrics). */
    private readonly onEnd: (view: JobView) => void = () => undefined,
  ) {}

  /** Queues `work` for `plan`; a plan whose job is queued or running is refused. */
  async start(plan: PlanHeader, kind: string, work: JobWork): Promise<JobView> {
    const running = this.live.get(plan.id);
    if (running && isActiveState(running.view.state))
      throw new CrmsyncError('CRMSYNC_ERR_PLAN_STATE', `plan ${plan.id} is already being committed`, {
        recordId: plan.id,
      });
    const view: JobView = { id: plan.id, planId: plan.id, kind, state: 'queued', queuedAt: Date.now() };
    const job: LiveJob = { view, events: new EventEmitter() };
    this.live.set(plan.id, job);
    await this.store(plan.id, view);

    const previous = this.accountTails.get(plan.accountId) ?? Promise.resolve();
    const run = previous.then(() => this.run(job, work));
    const tail = run.catch(() => undefined);
    job.ended = tail;
    this.accountTails.set(plan.accountId, tail);
    void tail.then(() => {
      if (this.accountTails.get(plan.accountId) === tail) this.accountTails.delete(plan.accountId);
    });
    return { ...view };
  }

  /** The job of a plan: live, or as its plan's summary remembers it; undefined if it never had one. */
  async get(planId: string): Promise<JobView | undefined> {
    const live = this.live.get(planId);
    if (live) return { ...live.view };
    const plan = await this.state.plans.get(planId);
    const stored = plan?.summary.job as StoredJob | undefined;
    if (!plan || !stored) return undefined;
    const view: JobView = {
      id: planId,
      planId,
      kind: stored.kind,
      state: stored.state,
      queuedAt: stored.queuedAt,
    };
    // Queued or running in a process that is gone: it will not end by itself.
    if (isActiveState(stored.state)) view.state = 'interrupted';
    if (stored.progress) view.progress = stored.progress;
    if (stored.finishedAt !== undefined) view.finishedAt = stored.finishedAt;
    if (stored.result) view.result = stored.result;
    if (stored.error) view.error = stored.error;
    return view;
  }

  /**
   * Calls `listener` with the job as it changes until it ends; answers a function that stops
   * listening. A job that has already ended is not followed.
   */
  follow(planId: string, listener: (view: JobView) => void): () => void {
    const live = this.live.get(planId);
    if (!live) return () => undefined;
    const onChange = (view: JobView) => listener(view);
    live.events.on('change', onChange);
    return () => live.events.off('change', onChange);
  }

  /** Whether the plan has a job queued or running in this process. */
  isActive(planId: string): boolean {
    return isActiveState(this.live.get(planId)?.view.state);
  }

  /** Waits until the plan's job in this process (if any) has ended. */
  async ended(planId: string): Promise<void> {
    await this.live.get(planId)?.ended;
  }

  /** Waits for every job started so far (a host closing lets them finish). */
  async settled(): Promise<void> {
    await Promise.all([...this.accountTails.values()]);
  }

  private async run(job: LiveJob, work: JobWork): Promise<void> {
    const { view } = job;
    this.change(job, { state: 'running' });
    await this.store(view.planId, view);
    let lastSent = 0;
    let end: JobState;
    try {
      const result = await work((done, total) => {
        view.progress = { done, total };
        // Progress of a large commit comes item by item; listeners hear it a few times a second.
        const now = Date.now();
        if (now - lastSent >= 100 || done === total) {
          lastSent = now;
          this.change(job, {});
        }
      });
      // A plan's summary carries the job's own record; the result is everything else.
      const { job: _record, ...outcome } = result;
      view.result = outcome;
      end = 'done';
    } catch (error) {
      view.error = problemFromError(error, { recordId: view.planId });
      end = 'failed';
    }
    view.finishedAt = Date.now();
    const recorded = await this.store(view.planId, { ...view, state: end }).then(
      () => true,
      () => false,
    );
    this.change(job, { state: end });
    // Once its end is in the store the job is read from there; a long-running host keeps no
    // record of every job it ever ran. One whose end could not be stored stays here.
    if (recorded) this.live.delete(view.planId);
    this.onEnd({ ...view });
  }

  private change(job: LiveJob, change: Partial<JobView>): void {
    Object.assign(job.view, change);
    job.events.emit('change', { ...job.view });
  }

  private async store(planId: string, view: JobView): Promise<void> {
    const stored: StoredJob = { kind: view.kind, state: view.state, queuedAt: view.queuedAt ?? Date.now() };
    if (view.finishedAt !== undefined) stored.finishedAt = view.finishedAt;
    if (view.progress) stored.progress = view.progress;
    if (view.result) stored.result = view.result;
    if (view.error) stored.error = view.error;
    await this.state.plans.update(planId, { summary: { job: stored } });
  }
}
