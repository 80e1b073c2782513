import { type Screen, screenPairs } from '../pipeline/dedupe/screen-pairs.js';
import { candidatesOfKeySets, lookUpHashes } from './repositories/hash-lookup.js';
import type { LookupRequest } from './sqlite-index-threads.js';
import { serveStoreThread } from './thread-server.js';

// A thread a SQLite candidate index is read and screened from (`sqlite-index-threads.ts`).
const screens = new Map<string, Promise<Screen>>();

serveStoreThread<LookupRequest>(
  async (db, request) => {
    if ('hashes' in request) {
      const found = await lookUpHashes(db, 'sqlite', request.hashes);
      return { answer: found, transfer: [found.pairs.buffer as ArrayBuffer] };
    }
    const { queries, rules } = request.screen;
    const candidates = await candidatesOfKeySets(
      queries.map((query) => query.keys),
      (hashes) => lookUpHashes(db, 'sqlite', hashes),
    );
    const ids = rules.map((rule) => rule.id);
    const mayMatch = await Promise.all(
      rules.map((rule) => (rule.module ? screenOf(rule.module) : undefined)),
    );
    return { answer: queries.map((query, at) => screenPairs(query, candidates[at] ?? [], ids, mayMatch)) };
  },
  { stopsAtFailure: false },
);

function screenOf(module: string): Promise<Screen> {
  let screen = screens.get(module);
  if (!screen) {
    screen = import(module).then((exports: { mayMatch?: unknown }) => {
      if (typeof exports.mayMatch !== 'function')
        throw new Error(`the screen module ${module} exports no function mayMatch`);
      return exports.mayMatch as Screen;
    });
    screens.set(module, screen);
  }
  return screen;
}
