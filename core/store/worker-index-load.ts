import type { IndexLoad, LoadBatch } from './repositories/index-load.js';
import type { IndexState } from './repositories/index-rows.js';
import type { ThreadClient } from './thread-client.js';

export type LoadRequest = { add: LoadBatch } | { finish: IndexState };

/**
 * A rebuild of a SQLite index written from a thread of its own (`index-load-worker.ts`): while
 * it writes one batch, this thread derives the next. One batch is in flight at a time besides
 * the one being made, so memory stays bounded however fast the CRM reads. A write that fails
 * is reported by the next call.
 */
export class WorkerIndexLoad implements IndexLoad {
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly thread: ThreadClient) {}

  async add(batch: LoadBatch): Promise<void> {
    const previous = this.inFlight;
    this.inFlight = this.thread.ask(
      { add: batch } satisfies LoadRequest,
      [batch.texts, batch.textEnds, batch.hashes, batch.hashCounts].map(
        (array) => array.buffer as ArrayBuffer,
      ),
    );
    // Seen by the next call; until then it must not count as unhandled.
    this.inFlight.catch(() => undefined);
    await previous;
  }

  async finish(state: IndexState): Promise<void> {
    await this.inFlight;
    await this.thread.ask({ finish: state } satisfies LoadRequest);
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
