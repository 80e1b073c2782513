import type { HashLookup } from './repositories/hash-lookup.js';
import type { IndexLoad } from './repositories/index-load.js';
import type { IndexThreads } from './repositories/index-threads.js';
import type { SqliteStoreOptions } from './sqlite-dialect.js';
import { ThreadClient } from './thread-client.js';
import { WorkerIndexLoad } from './worker-index-load.js';

/**
 * The candidate index's threads on a SQLite file: one per rebuild, ended with it, and one for
 * lookups, started with the first and ended with the store.
 */
export class SqliteIndexThreads implements IndexThreads {
  private lookups: ThreadClient | undefined;

  constructor(
    private readonly options: SqliteStoreOptions,
    private readonly mapError: (error: unknown) => unknown,
  ) {}

  newLoad(): IndexLoad {
    return new WorkerIndexLoad(new ThreadClient('./index-load-worker.js', this.options, this.mapError));
  }

  lookUp(hashes: Float64Array): Promise<HashLookup> {
    this.lookups ??= new ThreadClient('./index-lookup-worker.js', this.options, this.mapError);
    return this.lookups.ask({ hashes }, [hashes.buffer as ArrayBuffer]);
  }

  async close(): Promise<void> {
    await this.lookups?.close();
  }
}
