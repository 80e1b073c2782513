import { CrmsyncError, type PlanHeader } from '../../core/index.js';
import type { Runtime } from '../runtime.js';
import { resultOf } from './job-records.js';

/**
 * A job as data, so that any worker process can run it: what to do (`kind`, the name of a
 * registered handler), the plan it works on, and its options. Nothing in it refers to the
 * process that queued it.
 */
export interface JobData {
  kind: string;
  /** The groupware account it writes to: one job per account runs at a time, across processes. */
  accountId: string;
  planId?: string;
  options?: Record<string, unknown>;
  /** Times it waited for another job of its account to end; the next wait grows with it. */
  deferrals?: number;
}

export interface JobContext {
  /** The runtime of the process running the job: its services, connectors and state store. */
  runtime: Runtime;
  progress(done: number, total: number): void;
  /** Aborted when the worker hands the job back: a commit stops between writes, to be resumed. */
  signal?: AbortSignal;
}

export interface JobOutcome {
  /** The plan the job made, when it had none to begin with (a scheduled sync). */
  planId?: string;
  result: Record<string, unknown>;
}

/**
 * Runs one kind of job. A job may be run again after its worker died, also after the work
 * itself was done: a handler must finish what an earlier run began (the commit journal does
 * that for commits) and answer the result of one that already ended.
 */
export type JobHandler = (job: JobData, context: JobContext) => Promise<JobOutcome>;

/** The handlers by kind; every process that runs jobs registers the same ones. */
export class JobHandlers {
  private readonly byKind = new Map<string, JobHandler>();

  register(kind: string, handler: JobHandler): this {
    if (this.byKind.has(kind)) throw new Error(`a handler for jobs of kind "${kind}" is registered already`);
    this.byKind.set(kind, handler);
    return this;
  }

  has(kind: string): boolean {
    return this.byKind.has(kind);
  }

  get(kind: string): JobHandler {
    const handler = this.byKind.get(kind);
    if (!handler)
      throw new CrmsyncError('CRMSYNC_ERR_REQUEST_INVALID', `no handler runs jobs of kind "${kind}"`, {
        field: 'kind',
      });
    return handler;
  }
}

async function planOf(runtime: Runtime, job: JobData): Promise<PlanHeader> {
  if (!job.planId)
    throw new CrmsyncError('CRMSYNC_ERR_REQUEST_INVALID', `a ${job.kind} job names no plan`, {
      field: 'planId',
    });
  return runtime.services.plans.get(job.planId);
}

/** An export or import plan, written through the journal; committing again resumes it. */
const commitPlan: JobHandler = async (job, { runtime, progress, signal }) => {
  const plan = await planOf(runtime, job);
  if (plan.status === 'committed') return { result: resultOf(plan.summary) };
  const committed = await runtime.services.plans.commit(plan.id, {
    onProgress: ({ done, total }) => progress(done, total),
    signal,
  });
  return { result: resultOf(committed.summary) };
};

/** A planned sync run: committed, resumed, or confirmed after the deletion guard stopped it. */
const commitSyncRun: JobHandler = async (job, { runtime, signal }) => {
  const plan = await planOf(runtime, job);
  if (plan.status === 'committed') return { result: resultOf(plan.summary) };
  const { sync } = runtime.services;
  const run =
    plan.status === 'awaiting-confirmation'
      ? await sync.confirm(plan.id, { signal })
      : await sync.commit(plan.id, { signal });
  return { result: resultOf(run.plan.summary) };
};

/** A sync of the account as the schedule asks for it: planned and committed by the worker. */
const scheduledSync: JobHandler = async (job, { runtime, signal }) => {
  const run = await runtime.services.sync.sync({ account: job.accountId, signal });
  return { planId: run.plan.id, result: resultOf(run.plan.summary) };
};

/** The kind of a scheduled sync; such a job has no plan until its worker makes one. */
export const scheduledSyncKind = 'sync-scheduled';

/**
 * Every kind of job crmsync queues. A new kind is one line here and a handler: it receives the
 * job's data and the runtime of the process that runs it.
 */
export function standardJobHandlers(): JobHandlers {
  return new JobHandlers()
    .register('export-commit', commitPlan)
    .register('import-commit', commitPlan)
    .register('sync', commitSyncRun)
    .register('sync-confirmed', commitSyncRun)
    .register('sync-resumed', commitSyncRun)
    .register(scheduledSyncKind, scheduledSync);
}
