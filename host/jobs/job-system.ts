import { CrmsyncError, problemFromError } from '../../core/index.js';
import type { Runtime } from '../runtime.js';
import { JobRunner } from '../server/jobs/job-runner.js';
import { type JobHandlers, scheduledSyncKind, standardJobHandlers } from './job-handlers.js';
import { JobRecords, type JobView } from './job-records.js';
import type { JobEndListener } from './local-jobs.js';
import { PgBossQueue } from './pg-boss-queue.js';
import { keyOf, QueueWorker } from './queue-worker.js';
import { SyncSchedule } from './sync-schedule.js';

export type QueueKind = 'in-process' | 'pg-boss';

export interface QueueHealth {
  ok: boolean;
  kind: QueueKind;
  /** Jobs waiting to run (queued, or waiting for a retry). */
  depth?: number;
  /** Whether this process runs jobs. */
  worker: boolean;
  detail?: string;
}

/** What a process needs to start, follow and (with the worker role) run jobs. */
export interface JobSystem {
  runner: JobRunner;
  kind: QueueKind;
  worker?: QueueWorker;
  /** Jobs waiting to run. */
  depth(): Promise<number>;
  health(): Promise<QueueHealth>;
  /** Stops scheduling and fetching; jobs at work finish, or are handed back after the grace time. */
  close(): Promise<void>;
}

export interface JobSystemOptions {
  /** Whether this process runs jobs (always, on the SQLite store). */
  worker: boolean;
  onEnd?: JobEndListener;
  /** The kinds of job this process runs; crmsync's own when absent. */
  handlers?: JobHandlers;
}

/** A health check that does not answer within this time counts as failed. */
const checkTimeoutMs = 3_000;

/**
 * Jobs for this process: in-process on the SQLite store (one process by design), on a pg-boss
 * queue in the same database on the PostgreSQL store, where any number of hosts enqueue and
 * processes with the worker role run them.
 */
export async function startJobSystem(runtime: Runtime, options: JobSystemOptions): Promise<JobSystem> {
  const { config } = runtime;
  const handlers = options.handlers ?? standardJobHandlers();
  const onEnd = options.onEnd ?? (() => undefined);
  if (config.store.kind === 'sqlite') {
    if (!options.worker)
      throw new CrmsyncError(
        'CRMSYNC_ERR_CONFIG_INVALID',
        'a host on the SQLite store runs its jobs itself; running without a worker needs store.kind "postgres"',
        { pointer: '/jobs/worker' },
      );
    return inProcess(runtime, handlers, onEnd);
  }
  const queue = await PgBossQueue.open(config.store.postgresUrl!, config.jobs, runtime.logger);
  const worker = options.worker ? new QueueWorker({ runtime, queue, handlers, onEnd }) : undefined;
  const runner = new JobRunner(runtime.stateStore, onEnd, { queue, onQueued: () => worker?.wake() });
  const schedule = new SyncSchedule(runtime, async (accountId, slot, intervalSeconds) => {
    await queue.send(
      { kind: scheduledSyncKind, accountId, options: { slot } },
      { singletonKey: keyOf({ kind: scheduledSyncKind, accountId }), singletonSeconds: intervalSeconds },
    );
  });
  try {
    await worker?.start();
    if (worker) schedule.start();
  } catch (error) {
    await queue.close().catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    runner,
    kind: 'pg-boss',
    ...(worker ? { worker } : {}),
    depth: () => queue.depth(),
    health: async () => {
      try {
        const depth = await withinTime(queue.depth(), 'the job queue');
        return { ok: true, kind: 'pg-boss', depth, worker: worker !== undefined };
      } catch (error) {
        return { ok: false, kind: 'pg-boss', worker: worker !== undefined, detail: (error as Error).message };
      }
    },
    close: () => {
      closing ??= (async () => {
        schedule.stop();
        await runner.settled();
        await worker?.stop(config.jobs.shutdownGraceSeconds * 1000);
        await queue.close();
      })();
      return closing;
    },
  };
}

function inProcess(runtime: Runtime, handlers: JobHandlers, onEnd: JobEndListener): JobSystem {
  const records = new JobRecords(runtime.stateStore);
  const runner = new JobRunner(runtime.stateStore, onEnd, { handlers, runtime });
  const waiting = new Set<string>();
  // One scheduled sync per account waits at a time: a long run does not pile up its successors.
  const schedule = new SyncSchedule(runtime, async (accountId) => {
    if (waiting.has(accountId)) return;
    waiting.add(accountId);
    void runner.whenTurn(accountId, async () => {
      waiting.delete(accountId);
      const queuedAt = Date.now();
      const job = { kind: scheduledSyncKind, accountId };
      try {
        const outcome = await handlers.get(scheduledSyncKind)(job, { runtime, progress: () => undefined });
        const view: JobView = {
          id: outcome.planId!,
          planId: outcome.planId!,
          kind: scheduledSyncKind,
          state: 'done',
          queuedAt,
          startedAt: queuedAt,
          finishedAt: Date.now(),
          result: outcome.result,
        };
        await records.write(view.planId, view);
        onEnd(view, accountId);
      } catch (error) {
        runtime.logger.warn({ err: error }, 'the scheduled sync failed: %s', (error as Error).message);
        const problem = problemFromError(error);
        onEnd(
          {
            id: '',
            planId: '',
            kind: scheduledSyncKind,
            state: 'failed',
            queuedAt,
            finishedAt: Date.now(),
            error: problem,
          },
          accountId,
        );
      }
    });
  });
  schedule.start();
  let closing: Promise<void> | undefined;
  return {
    runner,
    kind: 'in-process',
    depth: async () => runner.waiting(),
    health: async () => ({ ok: true, kind: 'in-process', depth: runner.waiting(), worker: true }),
    close: () => {
      closing ??= (async () => {
        schedule.stop();
        await runner.settled();
      })();
      return closing;
    },
  };
}

function withinTime<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${checkTimeoutMs} ms`)),
      checkTimeoutMs,
    );
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The state store, as a readiness probe sees it. */
export async function storeHealth(runtime: Runtime): Promise<{ ok: boolean; kind: string; detail?: string }> {
  const kind = runtime.config.store.kind;
  try {
    await withinTime(runtime.stateStore.check(), 'the state store');
    return { ok: true, kind };
  } catch (error) {
    return { ok: false, kind, detail: (error as Error).message };
  }
}
