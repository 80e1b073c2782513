import { sql } from 'kysely';
import type { ContactJson } from '../../domain/contact-json.js';
import { CrmsyncError } from '../../domain/errors.js';
import type { JournalRow } from '../schema.js';
import type { JournalEntry, JournalRepository } from '../state-store.js';
import { fromJson, orNull, orUndefined, PAGE_SIZE, type StoreContext, toJson } from '../store-context.js';
import { isUniqueViolation } from '../store-errors.js';

export class SqlJournalRepository implements JournalRepository {
  constructor(private readonly context: StoreContext) {}

  async intend(entry: Omit<JournalEntry, 'state' | 'outcome' | 'at'>): Promise<void> {
    try {
      await this.context.db
        .insertInto('journal')
        .values({
          key: entry.key,
          plan_id: entry.planId,
          // The plan's next position, taken in the same statement so no caller can race it.
          position: sql<number>`(select coalesce(max(j.position), 0) + 1 from journal j where j.plan_id = ${entry.planId})`,
          seq: entry.seq,
          side: entry.side,
          operation: entry.operation,
          target_id: orNull(entry.targetId),
          before: entry.before === undefined ? null : toJson(entry.before),
          before_photo_hash: orNull(entry.beforePhotoHash),
          intent: toJson(entry.intent),
          intent_photo_hash: photoHashIn(entry.intent) ?? null,
          state: 'intent',
          outcome: null,
          at: this.context.now(),
        })
        .execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new CrmsyncError(
        'CRMSYNC_ERR_JOURNAL_DUPLICATE',
        `the write ${entry.key} was already intended`,
        { recordId: entry.key },
        { cause: error },
      );
    }
  }

  async settle(
    key: string,
    state: 'done' | 'failed' | 'undone',
    outcome?: Record<string, unknown>,
  ): Promise<void> {
    const result = await this.context.db
      .updateTable('journal')
      .set({ state, outcome: outcome === undefined ? null : toJson(outcome), at: this.context.now() })
      .where('key', '=', key)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0)
      throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `the journal has no write ${key}`, { recordId: key });
  }

  async get(key: string): Promise<JournalEntry | undefined> {
    const row = await this.context.db
      .selectFrom('journal')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    return row && entryFromRow(row);
  }

  async *entries(
    planId: string,
    filter: { state?: JournalEntry['state'] } = {},
  ): AsyncIterable<JournalEntry> {
    let after: { position: number; key: string } | undefined;
    for (;;) {
      let query = this.context.db.selectFrom('journal').selectAll().where('plan_id', '=', planId);
      if (filter.state !== undefined) query = query.where('state', '=', filter.state);
      if (after) {
        const { position, key } = after;
        query = query.where((eb) =>
          eb.or([
            eb('position', '>', position),
            eb.and([eb('position', '=', position), eb('key', '>', key)]),
          ]),
        );
      }
      const rows = await query.orderBy('position').orderBy('key').limit(PAGE_SIZE).execute();
      for (const row of rows) yield entryFromRow(row);
      if (rows.length < PAGE_SIZE) return;
      const last = rows[rows.length - 1]!;
      after = { position: Number(last.position), key: last.key };
    }
  }
}

function entryFromRow(row: JournalRow): JournalEntry {
  const entry: JournalEntry = {
    planId: row.plan_id,
    key: row.key,
    seq: Number(row.seq),
    side: row.side as JournalEntry['side'],
    operation: row.operation as JournalEntry['operation'],
    intent: fromJson<Record<string, unknown>>(row.intent),
    state: row.state as JournalEntry['state'],
    at: Number(row.at),
  };
  const targetId = orUndefined(row.target_id);
  if (targetId !== undefined) entry.targetId = targetId;
  const before = fromJson<ContactJson>(row.before);
  if (before !== undefined) entry.before = before;
  const beforePhotoHash = orUndefined(row.before_photo_hash);
  if (beforePhotoHash !== undefined) entry.beforePhotoHash = beforePhotoHash;
  const outcome = fromJson<Record<string, unknown>>(row.outcome);
  if (outcome !== undefined) entry.outcome = outcome;
  return entry;
}

const sha256Hex = /^[0-9a-f]{64}$/;

/**
 * The photo an intent will write, so the blob holding its bytes is kept until the journal
 * no longer needs it. Intents name it as a `hash` (a contact's photo) or a `photoHash`.
 */
function photoHashIn(value: unknown, depth = 0): string | undefined {
  if (!value || typeof value !== 'object' || depth > 4) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if ((key === 'hash' || key === 'photoHash') && typeof inner === 'string' && sha256Hex.test(inner))
      return inner;
    const found = photoHashIn(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}
