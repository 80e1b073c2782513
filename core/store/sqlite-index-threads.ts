import { availableParallelism } from 'node:os';
import type { HashLookup } from './repositories/hash-lookup.js';
import type { IndexLoad } from './repositories/index-load.js';
import type { IndexThreads } from './repositories/index-threads.js';
import type { SqliteStoreOptions } from './sqlite-dialect.js';
import type { RuleScreen, ScreenedPair, ScreenQuery } from './state-store.js';
import { ThreadClient } from './thread-client.js';
import { WorkerIndexLoad } from './worker-index-load.js';

export type LookupRequest =
  | { hashes: Float64Array }
  | { screen: { queries: readonly ScreenQuery[]; rules: readonly Omit<RuleScreen, 'mayMatch'>[] } };

/** Lookup threads at most: two keep both cores of a small server busy, with this one judging. */
const lookupThreads = Math.min(2, availableParallelism());

/**
 * The candidate index's threads on a SQLite file: one per rebuild, ended with it, and a few
 * for lookups, started as they are first needed, asked in turn and ended with the store.
 */
export class SqliteIndexThreads implements IndexThreads {
  private readonly lookups: ThreadClient[] = [];
  private turn = 0;

  constructor(
    private readonly options: SqliteStoreOptions,
    private readonly mapError: (error: unknown) => unknown,
  ) {}

  newLoad(): IndexLoad {
    return new WorkerIndexLoad(new ThreadClient('./index-load-worker.js', this.options, this.mapError));
  }

  lookUp(hashes: Float64Array): Promise<HashLookup> {
    return this.nextLookupThread().ask({ hashes } satisfies LookupRequest, [hashes.buffer as ArrayBuffer]);
  }

  screen(
    queries: readonly ScreenQuery[],
    rules: readonly Omit<RuleScreen, 'mayMatch'>[],
  ): Promise<ScreenedPair[][]> {
    return this.nextLookupThread().ask({ screen: { queries, rules } } satisfies LookupRequest);
  }

  warm(): void {
    for (let at = 0; at < lookupThreads; at++) this.lookupThread(at);
  }

  async close(): Promise<void> {
    await Promise.all(this.lookups.map((thread) => thread.close()));
  }

  private nextLookupThread(): ThreadClient {
    return this.lookupThread(this.turn++ % lookupThreads);
  }

  /** The lookup thread in this place; one that failed is replaced, so one failure does not stop every later lookup. */
  private lookupThread(at: number): ThreadClient {
    if (!this.lookups[at] || this.lookups[at].ended)
      this.lookups[at] = new ThreadClient('./index-lookup-worker.js', this.options, this.mapError);
    return this.lookups[at];
  }
}
