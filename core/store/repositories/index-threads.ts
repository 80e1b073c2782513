import type { RuleScreen, ScreenedPair, ScreenQuery } from '../state-store.js';
import type { HashLookup } from './hash-lookup.js';
import type { IndexLoad } from './index-load.js';

/**
 * Threads of their own for the candidate index's heavy work on a SQLite file, each with its
 * own connection: a rebuild's writes, and lookups and screening, which a large import asks
 * chunk after chunk while this thread judges the pairs of the chunks before.
 */
export interface IndexThreads {
  newLoad(): IndexLoad;
  lookUp(hashes: Float64Array): Promise<HashLookup>;
  /** `CandidateIndex.screen` with rules that name their screen modules. */
  screen(
    queries: readonly ScreenQuery[],
    rules: readonly Omit<RuleScreen, 'mayMatch'>[],
  ): Promise<ScreenedPair[][]>;
  /** Starts the lookup threads, when lookups are near, so the first does not wait for them. */
  warm(): void;
  close(): Promise<void>;
}
