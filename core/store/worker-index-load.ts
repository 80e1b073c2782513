import { Worker } from 'node:worker_threads';
import type { IndexLoad, LoadBatch } from './repositories/index-load.js';
import type { IndexState } from './repositories/index-rows.js';
import type { SqliteStoreOptions } from './sqlite-dialect.js';

export type LoadRequest = { id: number } & ({ add: LoadBatch } | { finish: IndexState } | { close: true });
export type LoadReply = { id: number; failed?: { message: string; code?: string } };

/**
 * A rebuild of a SQLite index written from a thread of its own, with its own connection to
 * the file: while it writes one batch, this thread derives the next. One batch is in flight
 * at a time besides the one being made, so memory stays bounded however fast the CRM reads.
 * A write that fails is reported by the next call, with the driver's code kept, so the store
 * maps it as it maps any other.
 */
export class WorkerIndexLoad implements IndexLoad {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: unknown) => void }>();
  private nextId = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private ended: unknown;
  private readonly exited: Promise<void>;

  constructor(
    options: SqliteStoreOptions,
    private readonly mapError: (error: unknown) => unknown,
  ) {
    this.worker = new Worker(new URL('./index-load-worker.js', import.meta.url), { workerData: options });
    this.worker.on('message', ({ id, failed }: LoadReply) => {
      const waiter = this.waiting.get(id);
      this.waiting.delete(id);
      if (!failed) waiter?.resolve();
      else waiter?.reject(this.mapError(Object.assign(new Error(failed.message), { code: failed.code })));
    });
    const stop = (error: unknown) => {
      this.ended ??= error;
      for (const waiter of this.waiting.values()) waiter.reject(this.ended);
      this.waiting.clear();
    };
    this.worker.on('error', (error) => stop(this.mapError(error)));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        stop(new Error('the index writer thread ended before the rebuild did'));
        resolve();
      }),
    );
  }

  async add(batch: LoadBatch): Promise<void> {
    const previous = this.inFlight;
    this.inFlight = this.ask({ id: this.nextId++, add: batch }, [
      batch.hashes.buffer as ArrayBuffer,
      batch.hashCounts.buffer as ArrayBuffer,
    ]);
    // Seen by the next call; until then it must not count as unhandled.
    this.inFlight.catch(() => undefined);
    await previous;
  }

  async finish(state: IndexState): Promise<void> {
    await this.inFlight;
    await this.ask({ id: this.nextId++, finish: state }, []);
  }

  /**
   * Lets the thread close its connection and end once what it took is done: ended from here
   * in the middle of a statement, the driver would take the whole process down with it.
   */
  async close(): Promise<void> {
    if (this.ended === undefined) this.worker.postMessage({ id: this.nextId++, close: true });
    await this.exited;
  }

  private ask(request: LoadRequest, transfer: ArrayBuffer[]): Promise<void> {
    if (this.ended !== undefined) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      this.waiting.set(request.id, { resolve, reject });
      this.worker.postMessage(request, transfer);
    });
  }
}
