import { parentPort, workerData } from 'node:worker_threads';
import { Kysely } from 'kysely';
import { TableIndexLoad } from './repositories/index-load.js';
import type { StoreTables } from './schema.js';
import { openSqliteDialect, type SqliteStoreOptions } from './sqlite-dialect.js';
import { standaloneContext } from './store-context.js';
import type { LoadReply, LoadRequest } from './worker-index-load.js';

// The thread a SQLite rebuild writes from (`worker-index-load.ts`): a connection of its own to
// the same file, taking the requests one after the other as they come. After a failed write
// the load is given up: the batches still coming are answered with that failure, unwritten.
// The thread ends only when asked to, never while a statement runs.
const port = parentPort!;
const db = new Kysely<StoreTables>({ dialect: openSqliteDialect(workerData as SqliteStoreOptions) });
const load = new TableIndexLoad(standaloneContext(db, 'sqlite', Date.now));
let failure: LoadReply['failed'];
let queue = Promise.resolve();

port.on('message', (request: LoadRequest) => {
  queue = queue.then(() => answer(request));
});

async function answer(request: LoadRequest): Promise<void> {
  if ('close' in request) {
    await db.destroy();
    port.close();
    return;
  }
  if (!failure)
    try {
      if ('add' in request) await load.add(request.add);
      else await load.finish(request.finish);
    } catch (error) {
      const { message, code } = error as { message?: string; code?: unknown };
      failure = { message: message ?? String(error), ...(typeof code === 'string' ? { code } : {}) };
    }
  port.postMessage(failure ? { id: request.id, failed: failure } : { id: request.id });
}
