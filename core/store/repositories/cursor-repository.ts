import type { AccountId, CursorRepository, Side } from '../state-store.js';
import type { StoreContext } from '../store-context.js';

export class SqlCursorRepository implements CursorRepository {
  constructor(private readonly context: StoreContext) {}

  async get(accountId: AccountId, side: Side): Promise<string | undefined> {
    const row = await this.context.db
      .selectFrom('cursors')
      .select('cursor')
      .where('account_id', '=', accountId)
      .where('side', '=', side)
      .executeTakeFirst();
    return row?.cursor;
  }

  async put(accountId: AccountId, side: Side, cursor: string): Promise<void> {
    await this.context.db
      .insertInto('cursors')
      .values({ account_id: accountId, side, cursor })
      .onConflict((conflict) => conflict.columns(['account_id', 'side']).doUpdateSet({ cursor }))
      .execute();
  }

  async remove(accountId: AccountId, side: Side): Promise<void> {
    await this.context.db
      .deleteFrom('cursors')
      .where('account_id', '=', accountId)
      .where('side', '=', side)
      .execute();
  }
}
