import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { CrmsyncError, type JobSettings } from '../../core/index.js';
import type { JobData } from './job-handlers.js';

/** The one queue every crmsync job goes on; its kind is in the job's data. */
export const queueName = 'crmsync-jobs';

/** Starts tried before the queue counts as out of reach. */
const startAttempts = 4;

export type QueueJobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

/** A job as a worker receives it from the queue. */
export interface QueuedJob {
  id: string;
  data: JobData;
  retryCount: number;
  retryLimit: number;
}

export interface SendOptions {
  /** The job's id, chosen by the caller so it can be recorded before any worker can fetch the job. */
  id?: string;
  /** Not before this many seconds from now. */
  startAfterSeconds?: number;
  /** At most one job with this key waits at a time; a second one is not queued. */
  singletonKey?: string;
  /** With `singletonKey`: at most one job with the key per slot of this many seconds, ever. */
  singletonSeconds?: number;
}

/**
 * Jobs on pg-boss in the state store's PostgreSQL database. pg-boss fetches with
 * `SKIP LOCKED`, retries failed jobs with exponential back-off and keeps a job until it is
 * completed, so a job outlives the process that queued it and the one that ran it.
 *
 * The queue's policy is `short`: at most one *waiting* job per singleton key, any number
 * running. pg-boss 10's `singleton` and `stately` policies would also keep two jobs of an
 * account from running at once, but a waiting job whose key is running blocks every fetch of
 * the queue until that run ends (pg-boss issue #535), so one long sync would stall all
 * accounts. One run per account is kept by a lease in the state store instead.
 */
export class PgBossQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly settings: JobSettings,
  ) {}

  static async open(url: string, settings: JobSettings, logger: Logger): Promise<PgBossQueue> {
    const connect = () => {
      const boss = new PgBoss({
        connectionString: url,
        schema: settings.queueSchema,
        application_name: 'crmsync-queue',
        max: Math.max(4, settings.concurrency + 3),
        // crmsync schedules its syncs itself (throttled sends); pg-boss's cron is not needed.
        schedule: false,
        supervise: true,
        // A scheduled sync's slot stays taken while its job is in the job table: a day's
        // interval needs completed jobs kept there a little longer than pg-boss's 12 hours.
        archiveCompletedAfterSeconds: 25 * 60 * 60,
      });
      // pg-boss reports failures of its background work as events: unheard, one would end the process.
      boss.on('error', (error) => logger.warn({ err: error }, 'job queue: %s', error.message));
      return boss;
    };
    // pg-boss makes its schema and crmsync's queue on first start; of processes starting at
    // that moment some fail (a deadlock, a table made meanwhile) and find them made next time.
    let failure: unknown;
    for (let attempt = 1; attempt <= startAttempts; attempt++) {
      const boss = connect();
      try {
        await boss.start();
        await boss.createQueue(queueName, { name: queueName, policy: 'short' });
        return new PgBossQueue(boss, settings);
      } catch (error) {
        failure = error;
        await boss.stop({ graceful: false }).catch(() => undefined);
        await closeUnstarted(boss);
        await sleep(100 * attempt + Math.random() * 200);
      }
    }
    throw new CrmsyncError(
      'CRMSYNC_ERR_STORE_UNAVAILABLE',
      `the job queue in PostgreSQL cannot be used: ${(failure as Error).message}`,
      { field: 'jobs.queueSchema' },
      { cause: failure },
    );
  }

  /** Queues a job; answers its id, or undefined when its singleton key already has a job waiting. */
  async send(data: JobData, options: SendOptions = {}): Promise<string | undefined> {
    const id = options.id ?? randomUUID();
    const sent = await this.boss.send(queueName, data as unknown as object, {
      id,
      retryLimit: this.settings.retries,
      retryDelay: this.settings.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: this.settings.timeoutMinutes * 60,
      ...(options.startAfterSeconds
        ? { startAfter: Math.max(1, Math.round(options.startAfterSeconds)) }
        : {}),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
      ...(options.singletonSeconds ? { singletonSeconds: options.singletonSeconds } : {}),
    });
    return sent ?? undefined;
  }

  /** Where the queue has the job, or undefined once it has forgotten it (or never had it). */
  async state(id: string): Promise<QueueJobState | undefined> {
    const job = await this.boss.getJobById(queueName, id, { includeArchive: true });
    return job?.state;
  }

  async data(id: string): Promise<JobData | undefined> {
    const job = await this.boss.getJobById<JobData>(queueName, id, { includeArchive: true });
    return job?.data;
  }

  /** Jobs waiting to run (queued, or waiting to be retried). */
  depth(): Promise<number> {
    return this.boss.getQueueSize(queueName);
  }

  /** Hands a job back: it is retried (after its back-off) unless its retries are spent. */
  async fail(id: string, message: string): Promise<void> {
    await this.boss.fail(queueName, id, { message });
  }

  /**
   * Calls `handler` for each job fetched, `concurrency` at a time; answers the ids of the
   * fetch loops, for `stopFetching`.
   */
  async work(concurrency: number, handler: (job: QueuedJob) => Promise<unknown>): Promise<string[]> {
    const loops: string[] = [];
    for (let loop = 0; loop < concurrency; loop++)
      loops.push(
        await this.boss.work<JobData>(
          queueName,
          { pollingIntervalSeconds: this.settings.pollingSeconds, includeMetadata: true, batchSize: 1 },
          async ([job]) =>
            handler({
              id: job!.id,
              data: job!.data,
              retryCount: job!.retryCount,
              retryLimit: job!.retryLimit,
            }),
        ),
      );
    return loops;
  }

  /** Wakes an idle fetch loop of this process at once (after a send from here). */
  wake(loops: readonly string[]): void {
    for (const loop of loops) this.boss.notifyWorker(loop);
  }

  async stopFetching(loops: readonly string[]): Promise<void> {
    for (const id of loops) await this.boss.offWork({ id });
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, close: true });
  }
}

/** A pg-boss that did not start does not stop either; its connection pool is closed here. */
async function closeUnstarted(boss: PgBoss): Promise<void> {
  const db = boss.getDb() as { opened?: boolean; close?: () => Promise<void> };
  if (db.opened) await db.close?.().catch(() => undefined);
}
