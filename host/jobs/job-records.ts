import type { RecordProblem, StateStore } from '../../core/index.js';

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
  startedAt?: number;
  finishedAt?: number;
  /** The process at work on it (`host:pid`), while it runs on a queue's worker. */
  worker?: string;
  /** Times it waited for another job of its account to end (jobs on a queue). */
  deferrals?: number;
}

/** What a job does; it reports progress and answers its result. */
export type JobWork = (progress: (done: number, total: number) => void) => Promise<Record<string, unknown>>;

/** The job's record in the plan's summary, so its end outlives the process that ran it. */
export interface StoredJob {
  kind: string;
  state: JobState;
  queuedAt: number;
  startedAt?: number;
  finishedAt?: number;
  progress?: { done: number; total: number };
  result?: Record<string, unknown>;
  error?: RecordProblem;
  worker?: string;
  deferrals?: number;
  /** The queue's own id of the job (jobs on a queue), to ask whether the queue still has it. */
  queueJobId?: string;
}

/** Job records live in their plan's summary under `job`; every process reads and writes them there. */
export class JobRecords {
  constructor(private readonly state: StateStore) {}

  async read(planId: string): Promise<StoredJob | undefined> {
    const plan = await this.state.plans.get(planId);
    return plan?.summary.job as StoredJob | undefined;
  }

  async write(planId: string, view: JobView, queueJobId?: string): Promise<void> {
    const stored: StoredJob = { kind: view.kind, state: view.state, queuedAt: view.queuedAt ?? Date.now() };
    copyPresent(view, stored);
    if (queueJobId) stored.queueJobId = queueJobId;
    await this.state.plans.update(planId, { summary: { job: stored } });
  }
}

/** What a job's record holds only once it has happened. */
const eventualFields = [
  'startedAt',
  'finishedAt',
  'progress',
  'result',
  'error',
  'worker',
  'deferrals',
] as const;

/** Copies the eventual fields `from` has, leaving the others absent rather than undefined. */
function copyPresent(from: JobView | StoredJob, to: JobView | StoredJob): void {
  for (const key of eventualFields)
    if (from[key] !== undefined) (to as unknown as Record<string, unknown>)[key] = from[key];
}

/** A record as the API shows it; `state` is the caller's reading of it (a stored `running` may be over). */
export function viewOf(planId: string, stored: StoredJob, state: JobState = stored.state): JobView {
  const view: JobView = { id: planId, planId, kind: stored.kind, state, queuedAt: stored.queuedAt };
  copyPresent(stored, view);
  return view;
}

/** A plan's summary carries the job's own record; the job's result is everything else. */
export function resultOf(summary: Record<string, unknown>): Record<string, unknown> {
  const { job: _record, ...result } = summary;
  return result;
}
