import { lookUpHashes } from './repositories/hash-lookup.js';
import { serveStoreThread } from './thread-server.js';

// The thread a SQLite candidate index is read from (`sqlite-index-threads.ts`).
serveStoreThread<{ hashes: Float64Array }>(
  async (db, { hashes }) => {
    const found = await lookUpHashes(db, 'sqlite', hashes);
    return { answer: found, transfer: [found.pairs.buffer as ArrayBuffer] };
  },
  { stopsAtFailure: false },
);
