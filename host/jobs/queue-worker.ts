import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { problemFromError, type RecordProblem } from '../../core/index.js';
import type { Runtime } from '../runtime.js';
import type { JobData, JobHandlers } from './job-handlers.js';
import { JobRecords, type JobState, type JobView } from './job-records.js';
import type { JobEndListener } from './local-jobs.js';
import type { PgBossQueue, QueuedJob } from './pg-boss-queue.js';
import { isAccountBusy, isTransient } from './transient.js';

/** A worker's process, as records and lease holders name it. */
export const workerName = `${hostname()}:${process.pid}`;

/** Leases that give an account's turn to one job at a time; the account id follows. */
export const turnPrefix = 'turn:';

/** The store hears a running job's progress this often, so hosts following it see it move. */
const progressToStoreMs = 250;
/** A job whose account is busy waits 1, 2, 4 … seconds (at most this) before it asks again. */
const longestDeferralSeconds = 30;
/**
 * How long a job handed back may take to stop at its next write: its turn is released only
 * then, so that no other worker resumes it while this one still writes.
 */
const handBackWaitMs = 10_000;

/**
 * The queue keeps at most one waiting job per key (its policy), so every job has one: a plan's
 * jobs its plan, scheduled syncs their account.
 */
export function keyOf(data: JobData): string {
  return data.planId ? `plan:${data.planId}` : `sync:${data.accountId}`;
}

/** One job at work in this process. */
interface Attempt {
  job: QueuedJob;
  holder: string;
  view?: JobView;
  heartbeat?: NodeJS.Timeout;
  /** Given back to the queue at shutdown: whatever the handler does after this is not recorded. */
  handedBack: boolean;
  /** Asks the handler to stop between writes when the job is handed back. */
  stop: AbortController;
  /** Its turn was taken from it (a pause longer than the lease); said once in the log. */
  lost?: boolean;
  /** The record's writes in order, so a late progress write never lands after the end. */
  writes: Promise<void>;
  done: Promise<void>;
}

export interface QueueWorkerOptions {
  runtime: Runtime;
  queue: PgBossQueue;
  handlers: JobHandlers;
  onEnd?: JobEndListener;
}

/**
 * Runs jobs from the queue in this process. Before a job runs it takes its account's turn, a
 * lease in the state store renewed while it works: a second job of the account, fetched by
 * any worker, finds the turn taken and goes back on the queue to wait. A worker that dies
 * stops renewing; any other worker then finds the lapsed turn, hands the job back to the queue
 * and it is retried, resuming from its commit journal. A job that fails for a passing reason
 * is retried with back-off; one that cannot succeed is recorded as failed.
 */
export class QueueWorker {
  private readonly records: JobRecords;
  private readonly attempts = new Map<string, Attempt>();
  private readonly leaseMs: number;
  private loops: string[] = [];
  private reaper?: NodeJS.Timeout;
  private stopping = false;

  constructor(private readonly options: QueueWorkerOptions) {
    this.records = new JobRecords(options.runtime.stateStore);
    this.leaseMs = options.runtime.config.jobs.leaseSeconds * 1000;
  }

  get running(): number {
    return this.attempts.size;
  }

  async start(): Promise<void> {
    const { queue, runtime } = this.options;
    this.loops = await queue.work(runtime.config.jobs.concurrency, (job) => this.attempt(job));
    this.reaper = setInterval(() => void this.reap(), this.leaseMs / 2);
    this.reaper.unref();
  }

  /** Fetches at once rather than at the next poll (a job was just queued from this process). */
  wake(): void {
    this.options.queue.wake(this.loops);
  }

  /**
   * Stops fetching, lets the jobs at work finish within `graceMs`, and hands back the ones
   * still running: their account's turn is released and the queue gives them to another
   * worker when this one's queue connection closes.
   */
  async stop(graceMs: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.reaper);
    await this.options.queue.stopFetching(this.loops);
    const all = Promise.all([...this.attempts.values()].map((attempt) => attempt.done));
    await Promise.race([all, sleep(graceMs)]);
    for (const attempt of this.attempts.values()) await this.handBack(attempt);
  }

  private async attempt(job: QueuedJob): Promise<unknown> {
    let finish!: () => void;
    const attempt: Attempt = {
      job,
      holder: `${workerName}/${job.id}`,
      handedBack: false,
      stop: new AbortController(),
      writes: Promise.resolve(),
      done: new Promise<void>((resolve) => {
        finish = resolve;
      }),
    };
    this.attempts.set(job.id, attempt);
    try {
      return await this.run(attempt);
    } finally {
      clearInterval(attempt.heartbeat);
      this.attempts.delete(job.id);
      finish();
    }
  }

  private async run(attempt: Attempt): Promise<unknown> {
    const { job } = attempt;
    const { data } = job;
    const { leases } = this.options.runtime.stateStore;
    const turn = turnPrefix + data.accountId;
    if (!(await leases.acquire(turn, attempt.holder, this.leaseMs))) return this.defer(data);
    attempt.heartbeat = setInterval(() => void this.renew(attempt, turn), this.leaseMs / 3);
    try {
      const stored = data.planId ? await this.records.read(data.planId) : undefined;
      const view: JobView = {
        id: data.planId ?? job.id,
        planId: data.planId ?? '',
        kind: data.kind,
        state: 'running',
        queuedAt: stored?.queuedAt ?? Date.now(),
        startedAt: Date.now(),
        worker: workerName,
        ...(data.deferrals ? { deferrals: data.deferrals } : {}),
      };
      attempt.view = view;
      await this.record(attempt, view);
      let lastStored = 0;
      const outcome = await this.options.handlers.get(data.kind)(data, {
        runtime: this.options.runtime,
        signal: attempt.stop.signal,
        progress: (done, total) => {
          view.progress = { done, total };
          const now = Date.now();
          if (now - lastStored >= progressToStoreMs || done === total) {
            lastStored = now;
            void this.record(attempt, { ...view }).catch(() => undefined);
          }
        },
      });
      if (attempt.handedBack) return { handedBack: true };
      const planId = data.planId ?? outcome.planId;
      await this.end(attempt, 'done', { result: outcome.result }, planId);
      return { planId, state: 'done' };
    } catch (error) {
      if (attempt.handedBack) throw error;
      if (isAccountBusy(error)) return this.defer(data);
      const problem = problemFromError(error, data.planId ? { recordId: data.planId } : {});
      if (isTransient(error) && attempt.job.retryCount < attempt.job.retryLimit) {
        // Queued again by the queue itself, after its back-off.
        if (attempt.view) await this.record(attempt, { ...attempt.view, state: 'queued', error: problem });
        throw error;
      }
      await this.end(attempt, 'failed', { error: problem }, data.planId);
      return { planId: data.planId, state: 'failed', code: problem.code };
    } finally {
      clearInterval(attempt.heartbeat);
      if (!attempt.handedBack) await leases.release(turn, attempt.holder);
    }
  }

  private async end(
    attempt: Attempt,
    state: JobState,
    outcome: { result?: Record<string, unknown>; error?: RecordProblem },
    planId: string | undefined,
  ): Promise<void> {
    const { data } = attempt.job;
    const view: JobView = {
      ...(attempt.view ?? { id: '', planId: '', kind: data.kind, state, queuedAt: Date.now() }),
      ...outcome,
      state,
      finishedAt: Date.now(),
    };
    if (planId) {
      view.id = planId;
      view.planId = planId;
      await this.record(attempt, view, planId);
    }
    this.options.onEnd?.(view, data.accountId);
  }

  /** Writes the job's record after the writes before it; a job without a plan has none. */
  private record(attempt: Attempt, view: JobView, planId = attempt.job.data.planId): Promise<void> {
    if (!planId) return Promise.resolve();
    const write = attempt.writes.then(() => this.records.write(planId, view, attempt.job.id));
    attempt.writes = write.catch(() => undefined);
    return write;
  }

  /**
   * Another job has the account: this one goes back on the queue to ask again later (a new
   * queue entry, so waiting spends none of its retries).
   */
  private async defer(data: JobData): Promise<unknown> {
    const deferrals = (data.deferrals ?? 0) + 1;
    const wait = Math.min(longestDeferralSeconds, 2 ** (deferrals - 1));
    const id = randomUUID();
    await this.options.queue.send(
      { ...data, deferrals },
      { id, startAfterSeconds: wait, singletonKey: keyOf(data) },
    );
    // Recorded after the send: until then the record names the attempt still at work here.
    if (data.planId) {
      const stored = await this.records.read(data.planId);
      await this.records.write(
        data.planId,
        {
          id: data.planId,
          planId: data.planId,
          kind: data.kind,
          state: 'queued',
          queuedAt: stored?.queuedAt ?? Date.now(),
          deferrals,
        },
        id,
      );
    }
    return { deferred: deferrals };
  }

  private async renew(attempt: Attempt, turn: string): Promise<void> {
    const kept = await this.options.runtime.stateStore.leases
      .renew(turn, attempt.holder, this.leaseMs)
      .catch(() => false);
    if (kept) {
      attempt.lost = false;
      return;
    }
    if (attempt.lost) return;
    attempt.lost = true;
    this.options.runtime.logger.warn(
      { job: attempt.job.id, account: attempt.job.data.accountId },
      'a job lost its account turn; another worker may take it over and resume it from its journal',
    );
  }

  /**
   * Jobs whose worker stopped renewing their turn (it died) go back to the queue, to be
   * retried by whichever worker fetches them next. Of several workers finding the same one,
   * exactly one clears the turn and hands the job back.
   */
  private async reap(): Promise<void> {
    const { runtime, queue } = this.options;
    const { leases } = runtime.stateStore;
    try {
      for (const lapsed of await leases.lapsed(turnPrefix)) {
        const jobId = lapsed.holder.slice(lapsed.holder.lastIndexOf('/') + 1);
        // Our own job, late renewing (a long pause): still alive, so it keeps its turn.
        if (this.attempts.get(jobId)?.holder === lapsed.holder) continue;
        if (!(await leases.clearLapsed(lapsed.accountId, lapsed.holder))) continue;
        await queue.fail(jobId, `its worker (${lapsed.holder.split('/')[0]}) stopped`);
        runtime.logger.warn(
          { job: jobId, account: lapsed.accountId },
          'took back a job whose worker stopped',
        );
        const data = await queue.data(jobId);
        if (!data?.planId) continue;
        const stored = await this.records.read(data.planId);
        const state = await queue.state(jobId);
        if (!stored) continue;
        const problem: RecordProblem = {
          code: 'CRMSYNC_ERR_WORKER_STOPPED',
          message: `the worker running it (${lapsed.holder.split('/')[0]}) stopped`,
          location: { recordId: data.planId },
        };
        await this.records.write(
          data.planId,
          {
            id: data.planId,
            planId: data.planId,
            kind: stored.kind,
            state: state === 'failed' ? 'failed' : 'queued',
            queuedAt: stored.queuedAt,
            error: problem,
            ...(stored.progress ? { progress: stored.progress } : {}),
          },
          jobId,
        );
      }
    } catch (error) {
      runtime.logger.warn({ err: error }, 'could not look for jobs whose worker stopped');
    }
  }

  private async handBack(attempt: Attempt): Promise<void> {
    attempt.handedBack = true;
    attempt.stop.abort();
    const stopped = await Promise.race([attempt.done.then(() => true), sleep(handBackWaitMs, false)]);
    clearInterval(attempt.heartbeat);
    if (!stopped) {
      // Released now, the turn could let another worker write beside this one's last write.
      this.options.runtime.logger.warn(
        { job: attempt.job.id },
        `a job handed back did not stop at a write within ${handBackWaitMs} ms; its turn lapses instead of being released`,
      );
      return;
    }
    const { data } = attempt.job;
    try {
      if (attempt.view)
        await this.record(attempt, {
          ...attempt.view,
          state: 'queued',
          error: {
            code: 'CRMSYNC_ERR_WORKER_STOPPED',
            message: `handed back at shutdown by ${workerName}; another worker resumes it`,
            location: data.planId ? { recordId: data.planId } : {},
          },
        });
      await this.options.runtime.stateStore.leases.release(turnPrefix + data.accountId, attempt.holder);
    } catch (error) {
      this.options.runtime.logger.warn(
        { err: error, job: attempt.job.id },
        'could not hand a job back cleanly',
      );
    }
  }
}
