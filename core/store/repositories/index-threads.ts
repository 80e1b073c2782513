import type { HashLookup } from './hash-lookup.js';
import type { IndexLoad } from './index-load.js';

/**
 * Threads of their own for the candidate index's heavy work on a SQLite file, each with its
 * own connection: a rebuild's writes, and lookups, which a large import asks one after the
 * other while this thread judges the candidates of the one before.
 */
export interface IndexThreads {
  newLoad(): IndexLoad;
  lookUp(hashes: Float64Array): Promise<HashLookup>;
  close(): Promise<void>;
}
