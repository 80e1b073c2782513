import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CrmsyncError, type PlanHeader, type RecordProblem, type StateStore } from '../../../core/index.js';
import type { JobData, JobHandlers } from '../../jobs/job-handlers.js';
import { isActiveState, JobRecords, type JobView, type JobWork, viewOf } from '../../jobs/job-records.js';
import { type JobEndListener, LocalJobs } from '../../jobs/local-jobs.js';
import type { PgBossQueue } from '../../jobs/pg-boss-queue.js';
import { keyOf } from '../../jobs/queue-worker.js';
import type { Runtime } from '../../runtime.js';

export { isActiveState, type JobState, type JobView, type JobWork } from '../../jobs/job-records.js';

/** Hosts following a job that runs in another process read its record this often. */
const pollMs = 250;
/** A job recorded as queued a moment ago may not have reached the queue yet. */
const enqueueGraceMs = 10_000;

export interface JobRunnerOptions {
  /** Jobs given as data run here, by the handler of their kind, on this runtime (the embedded host). */
  handlers?: JobHandlers;
  runtime?: Runtime;
  /** Jobs given as data go on this queue instead, for any worker process to run. */
  queue?: PgBossQueue;
  /** Called after a job was put on the queue from this process (to wake a worker here). */
  onQueued?: () => void;
}

/**
 * Commits and sync runs as jobs, for the routes. A job is started as data — its kind, its
 * plan and options — and run by the handler registered for its kind: in this process (the
 * embedded host, one job per account at a time) or, with a queue, by whichever worker
 * process fetches it. `start(plan, kind, work)` with a function still runs that function in
 * this process, for work that needs nothing but the request that asked for it.
 *
 * Either way a job's state lives in its plan's summary, so every host sharing the store
 * answers for every job, after a restart too; a job this process no longer runs and no queue
 * holds answers `interrupted` (committing its plan again resumes it).
 */
export class JobRunner {
  private readonly records: JobRecords;
  private readonly local: LocalJobs;

  constructor(
    state: StateStore,
    /** Told of each job that ended in this process, with its end state (metrics). */
    onEnd: JobEndListener = () => undefined,
    private readonly options: JobRunnerOptions = {},
  ) {
    this.records = new JobRecords(state);
    this.local = new LocalJobs(this.records, onEnd);
  }

  /**
   * Starts the plan's job: `work` a function runs it here; otherwise the job is data (`work`
   * its options) for the handler of `kind`. A plan whose job is queued or running is refused.
   */
  async start(plan: PlanHeader, kind: string, work?: JobWork | Record<string, unknown>): Promise<JobView> {
    if (typeof work === 'function') return this.local.start(plan, kind, work);
    const job: JobData = {
      kind,
      accountId: plan.accountId,
      planId: plan.id,
      ...(work ? { options: work } : {}),
    };
    const { queue, handlers, runtime } = this.options;
    if (queue) return this.enqueue(plan, job, queue);
    if (!handlers || !runtime)
      throw new Error('this job runner has neither a queue nor handlers for jobs given as data');
    const handler = handlers.get(kind);
    return this.local.start(
      plan,
      kind,
      async (progress) => (await handler(job, { runtime, progress })).result,
    );
  }

  /** The job of a plan: live here, or as its record says; undefined if the plan never had one. */
  async get(planId: string): Promise<JobView | undefined> {
    const live = this.local.view(planId);
    if (live) return live;
    const stored = await this.records.read(planId);
    if (!stored) return undefined;
    if (!isActiveState(stored.state)) return viewOf(planId, stored);
    const { queue } = this.options;
    if (queue && stored.queueJobId) {
      const state = await queue.state(stored.queueJobId);
      if (state === 'created' || state === 'retry' || state === 'active') return viewOf(planId, stored);
      if (state === undefined && Date.now() - stored.queuedAt < enqueueGraceMs) return viewOf(planId, stored);
    }
    // Queued or running in a process that is gone, and on no queue: it will not end by itself.
    return { ...viewOf(planId, stored, 'interrupted'), error: interruption(planId, stored.kind) };
  }

  /**
   * Calls `listener` with the job as it changes until it ends; answers a function that stops
   * listening. A job at work elsewhere is followed through its record; `since` is the view the
   * caller has already, so it is not told again.
   */
  follow(planId: string, listener: (view: JobView) => void, since?: JobView): () => void {
    const here = this.local.follow(planId, listener);
    if (here) return here;
    let last = since ? JSON.stringify(since) : '';
    let stopped = false;
    void (async () => {
      while (!stopped) {
        await sleep(pollMs);
        const view = await this.get(planId).catch(() => undefined);
        if (stopped || !view) continue;
        const text = JSON.stringify(view);
        if (text !== last) {
          last = text;
          listener(view);
        }
        if (!isActiveState(view.state)) break;
      }
    })();
    return () => {
      stopped = true;
    };
  }

  /** Whether the plan has a job queued or running, here or on the queue. */
  async isActive(planId: string): Promise<boolean> {
    return isActiveState((await this.get(planId))?.state);
  }

  /** Waits until the plan's job (if any) has ended, wherever it runs. */
  async ended(planId: string): Promise<void> {
    await this.local.ended(planId);
    while (await this.isActive(planId)) await sleep(pollMs);
  }

  /** Waits for every job started in this process so far (a host closing lets them finish). */
  async settled(): Promise<void> {
    await this.local.settled();
  }

  /** Runs `work` in this process in the account's turn, for a job that makes its plan as it runs. */
  whenTurn(accountId: string, work: () => Promise<void>): Promise<void> {
    return this.local.whenTurn(accountId, work);
  }

  /** Jobs running in this process (not those a queue worker runs). */
  running(): number {
    return this.local.running();
  }

  /** Jobs waiting for their account's turn in this process. */
  waiting(): number {
    return this.local.waiting();
  }

  private async enqueue(plan: PlanHeader, job: JobData, queue: PgBossQueue): Promise<JobView> {
    if (await this.isActive(plan.id))
      throw new CrmsyncError('CRMSYNC_ERR_PLAN_STATE', `plan ${plan.id} is already being committed`, {
        recordId: plan.id,
      });
    const id = randomUUID();
    const view: JobView = {
      id: plan.id,
      planId: plan.id,
      kind: job.kind,
      state: 'queued',
      queuedAt: Date.now(),
    };
    // Recorded first: a worker may fetch the job the moment it is sent, and its record must win.
    await this.records.write(plan.id, view, id);
    // One waiting job per plan: another host committing the same plan at the same moment won.
    if ((await queue.send(job, { id, singletonKey: keyOf(job) })) === undefined)
      throw new CrmsyncError('CRMSYNC_ERR_PLAN_STATE', `plan ${plan.id} is already queued to be committed`, {
        recordId: plan.id,
      });
    this.options.onQueued?.();
    return view;
  }
}

/** What a person is told of a job whose process stopped, and what to do about it. */
function interruption(planId: string, kind: string): RecordProblem {
  const building = kind.endsWith('-plan');
  return {
    code: 'CRMSYNC_ERR_JOB_INTERRUPTED',
    message: building
      ? `crmsync stopped while plan ${planId} was being built; cancel it and make the plan again`
      : `crmsync stopped while plan ${planId} was at work; commit it again to finish it, nothing is written twice`,
    location: { recordId: planId },
  };
}
