import type { AccountId, LeaseRepository } from '../state-store.js';
import type { StoreContext } from '../store-context.js';

/**
 * Each step is one statement, so two processes sharing the database can never both hold a
 * lease: the database decides which conditional write lands.
 */
export class SqlLeaseRepository implements LeaseRepository {
  constructor(private readonly context: StoreContext) {}

  async acquire(accountId: AccountId, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.context.now();
    const taken = await this.context.db
      .insertInto('leases')
      .values({ account_id: accountId, holder, expires_at: now + ttlMs })
      .onConflict((conflict) =>
        conflict
          .column('account_id')
          .doUpdateSet((eb) => ({
            holder: eb.ref('excluded.holder'),
            expires_at: eb.ref('excluded.expires_at'),
          }))
          .where((eb) => eb.or([eb('leases.expires_at', '<=', now), eb('leases.holder', '=', holder)])),
      )
      .returning('holder')
      .executeTakeFirst();
    return taken?.holder === holder;
  }

  async renew(accountId: AccountId, holder: string, ttlMs: number): Promise<boolean> {
    // Still ours while nobody else took it, even just past its expiry: no one was refused.
    const result = await this.context.db
      .updateTable('leases')
      .set({ expires_at: this.context.now() + ttlMs })
      .where('account_id', '=', accountId)
      .where('holder', '=', holder)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async release(accountId: AccountId, holder: string): Promise<void> {
    await this.context.db
      .deleteFrom('leases')
      .where('account_id', '=', accountId)
      .where('holder', '=', holder)
      .execute();
  }

  async holder(accountId: AccountId): Promise<{ holder: string; expiresAt: number } | undefined> {
    const row = await this.context.db
      .selectFrom('leases')
      .select(['holder', 'expires_at'])
      .where('account_id', '=', accountId)
      .where('expires_at', '>', this.context.now())
      .executeTakeFirst();
    return row && { holder: row.holder, expiresAt: Number(row.expires_at) };
  }

  async lapsed(prefix: string): Promise<{ accountId: AccountId; holder: string; expiresAt: number }[]> {
    const rows = await this.context.db
      .selectFrom('leases')
      .select(['account_id', 'holder', 'expires_at'])
      // substr rather than LIKE: a key holding % or _ (a folder path) matches literally.
      .where((eb) => eb(eb.fn('substr', ['account_id', eb.val(1), eb.val(prefix.length)]), '=', prefix))
      .where('expires_at', '<=', this.context.now())
      .orderBy('expires_at')
      .execute();
    return rows.map((row) => ({
      accountId: row.account_id,
      holder: row.holder,
      expiresAt: Number(row.expires_at),
    }));
  }

  async clearLapsed(accountId: AccountId, holder: string): Promise<boolean> {
    const result = await this.context.db
      .deleteFrom('leases')
      .where('account_id', '=', accountId)
      .where('holder', '=', holder)
      .where('expires_at', '<=', this.context.now())
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
