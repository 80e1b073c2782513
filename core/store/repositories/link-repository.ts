import type { ContactJson } from '../../domain/contact-json.js';
import { CrmsyncError } from '../../domain/errors.js';
import type { LinkRow } from '../schema.js';
import type { AccountId, Link, LinkRepository } from '../state-store.js';
import { fromJson, orNull, orUndefined, PAGE_SIZE, type StoreContext, toJson } from '../store-context.js';
import { isUniqueViolation } from '../store-errors.js';

export class SqlLinkRepository implements LinkRepository {
  constructor(private readonly context: StoreContext) {}

  async get(
    accountId: AccountId,
    by: { crmId: string } | { groupwareId: string },
  ): Promise<Link | undefined> {
    let query = this.context.db.selectFrom('links').selectAll().where('account_id', '=', accountId);
    query =
      'crmId' in by ? query.where('crm_id', '=', by.crmId) : query.where('groupware_id', '=', by.groupwareId);
    const row = await query.executeTakeFirst();
    return row && linkFromRow(row);
  }

  async put(link: Link): Promise<void> {
    const row = rowFromLink(link);
    try {
      await this.context.db
        .insertInto('links')
        .values(row)
        .onConflict((conflict) =>
          conflict.columns(['account_id', 'crm_id']).doUpdateSet({
            groupware_id: row.groupware_id,
            crm_version: row.crm_version,
            groupware_version: row.groupware_version,
            baseline: row.baseline,
            photo_hash: row.photo_hash,
            synced_at: row.synced_at,
          }),
        )
        .execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new CrmsyncError(
        'CRMSYNC_ERR_LINK_CONFLICT',
        `groupware contact ${link.groupwareId} is already linked to another CRM contact in account ${link.accountId}`,
        { recordId: link.crmId },
        { cause: error },
      );
    }
  }

  async remove(accountId: AccountId, crmId: string): Promise<void> {
    await this.context.db
      .deleteFrom('links')
      .where('account_id', '=', accountId)
      .where('crm_id', '=', crmId)
      .execute();
  }

  async *list(accountId: AccountId): AsyncIterable<Link> {
    let after: string | undefined;
    for (;;) {
      let query = this.context.db.selectFrom('links').selectAll().where('account_id', '=', accountId);
      if (after !== undefined) query = query.where('crm_id', '>', after);
      const rows = await query.orderBy('crm_id').limit(PAGE_SIZE).execute();
      for (const row of rows) yield linkFromRow(row);
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.crm_id;
    }
  }

  async count(accountId: AccountId): Promise<number> {
    const row = await this.context.db
      .selectFrom('links')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}

function rowFromLink(link: Link): LinkRow {
  return {
    account_id: link.accountId,
    crm_id: link.crmId,
    groupware_id: link.groupwareId,
    crm_version: orNull(link.crmVersion),
    groupware_version: orNull(link.groupwareVersion),
    baseline: toJson(link.baseline),
    photo_hash: orNull(link.photoHash),
    synced_at: link.syncedAt,
  };
}

function linkFromRow(row: LinkRow): Link {
  const link: Link = {
    accountId: row.account_id,
    crmId: row.crm_id,
    groupwareId: row.groupware_id,
    baseline: fromJson<ContactJson>(row.baseline),
    syncedAt: Number(row.synced_at),
  };
  const crmVersion = orUndefined(row.crm_version);
  if (crmVersion !== undefined) link.crmVersion = crmVersion;
  const groupwareVersion = orUndefined(row.groupware_version);
  if (groupwareVersion !== undefined) link.groupwareVersion = groupwareVersion;
  const photoHash = orUndefined(row.photo_hash);
  if (photoHash !== undefined) link.photoHash = photoHash;
  return link;
}
