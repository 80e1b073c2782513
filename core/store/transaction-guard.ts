import { AsyncLocalStorage } from 'node:async_hooks';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { CrmsyncError } from '../domain/errors.js';

/**
 * Knows when code runs inside `StateStore.transaction`. Reaching for the store itself there
 * instead of the transaction's scope would wait for the transaction to end on SQLite (for
 * ever) and act outside it on PostgreSQL; both are turned into a clear error instead.
 */
export class TransactionGuard {
  private readonly active = new AsyncLocalStorage<true>();

  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active.getStore())
      return Promise.reject(
        new CrmsyncError('CRMSYNC_ERR_STORE_MISUSE', 'a state store transaction cannot be nested'),
      );
    return this.active.run(true, work);
  }

  /** A plugin for the store's own queries (not the transaction's) that refuses them inside one. */
  outsideOnly(): KyselyPlugin {
    const active = this.active;
    return {
      transformQuery(args: PluginTransformQueryArgs) {
        if (active.getStore())
          throw new CrmsyncError(
            'CRMSYNC_ERR_STORE_MISUSE',
            'inside a transaction, use the scope it hands to its work, not the store',
          );
        return args.node;
      },
      transformResult: async (args: PluginTransformResultArgs) => args.result,
    };
  }
}
