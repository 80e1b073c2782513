import { AsyncLocalStorage } from 'node:async_hooks';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { CrmsyncError } from '../domain/errors.js';

/**
 * Knows when code runs inside `StateStore.transaction`. Reaching for the store itself there
 * instead of the transaction's scope would wait for the transaction to end on SQLite (for
 * ever, when the transaction awaits it) and act outside it on PostgreSQL; both are turned
 * into a clear error instead. A timer or callback started inside a transaction inherits its
 * context but usually runs after it: it is refused only while the transaction is open.
 */
export class TransactionGuard {
  private readonly context = new AsyncLocalStorage<{ open: boolean }>();

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.isOpen())
      throw new CrmsyncError('CRMSYNC_ERR_STORE_MISUSE', 'a state store transaction cannot be nested');
    const transaction = { open: true };
    try {
      return await this.context.run(transaction, work);
    } finally {
      transaction.open = false;
    }
  }

  /** A plugin for the store's own queries (not the transaction's) that refuses them inside one. */
  outsideOnly(): KyselyPlugin {
    return {
      transformQuery: (args: PluginTransformQueryArgs) => {
        if (this.isOpen())
          throw new CrmsyncError(
            'CRMSYNC_ERR_STORE_MISUSE',
            'inside a transaction, use the scope it hands to its work, not the store',
          );
        return args.node;
      },
      transformResult: async (args: PluginTransformResultArgs) => args.result,
    };
  }

  private isOpen(): boolean {
    return this.context.getStore()?.open === true;
  }
}
