import { TableIndexLoad } from './repositories/index-load.js';
import { standaloneContext } from './store-context.js';
import { serveStoreThread } from './thread-server.js';
import type { LoadRequest } from './worker-index-load.js';

// The thread a SQLite rebuild writes from (`worker-index-load.ts`). After a failed write the
// load is given up: the batches still coming are answered with that failure, unwritten.
let load: TableIndexLoad | undefined;
serveStoreThread<LoadRequest>(
  async (db, request) => {
    load ??= new TableIndexLoad(standaloneContext(db, 'sqlite', Date.now));
    if ('add' in request) await load.add(request.add);
    else await load.finish(request.finish);
    return {};
  },
  { stopsAtFailure: true },
);
