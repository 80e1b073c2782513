import { parentPort, workerData } from 'node:worker_threads';
import { Kysely } from 'kysely';
import type { StoreTables } from './schema.js';
import { openSqliteDialect, type SqliteStoreOptions } from './sqlite-dialect.js';
import type { ThreadReply } from './thread-client.js';

/**
 * The side of a store thread (`thread-client.ts`) that answers: a connection of its own to the
 * SQLite file, and the requests taken one after the other as they come. Once one has failed,
 * the work is given up when `stopsAtFailure`: what still comes is answered with that failure.
 */
export function serveStoreThread<Request extends object>(
  answer: (
    db: Kysely<StoreTables>,
    request: Request,
  ) => Promise<{ answer?: unknown; transfer?: ArrayBuffer[] }>,
  { stopsAtFailure }: { stopsAtFailure: boolean },
): void {
  const port = parentPort!;
  const db = new Kysely<StoreTables>({ dialect: openSqliteDialect(workerData as SqliteStoreOptions) });
  let failure: ThreadReply<unknown>['failed'];
  let queue = Promise.resolve();
  port.on('message', (message: Request & { id: number; close?: true }) => {
    queue = queue.then(async () => {
      if (message.close) {
        await db.destroy();
        port.close();
        return;
      }
      let reply: ThreadReply<unknown> = { id: message.id };
      let transfer: ArrayBuffer[] = [];
      if (failure) reply.failed = failure;
      else
        try {
          const answered = await answer(db, message);
          reply = { id: message.id, answer: answered.answer };
          transfer = answered.transfer ?? [];
        } catch (error) {
          const { message: text, code } = error as { message?: string; code?: unknown };
          reply.failed = { message: text ?? String(error), ...(typeof code === 'string' ? { code } : {}) };
          if (stopsAtFailure) failure = reply.failed;
        }
      port.postMessage(reply, transfer);
    });
  });
}
