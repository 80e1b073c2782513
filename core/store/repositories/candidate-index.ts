import { sql } from 'kysely';
import type { ContactJson } from '../../domain/contact-json.js';
import { field, jsonField, jsonRows } from '../json-rows.js';
import { createCandidateKeyIndexes, dropCandidateKeyIndexes, type StoreDialect } from '../migrations.js';
import type { CandidateIndex, IndexedContact } from '../state-store.js';
import { chunks, fromJson, type StoreContext, type StoreDb } from '../store-context.js';

const STATE_ROW = 1;
/** Contacts per statement and, in a rebuild, per transaction. */
const CONTACTS_PER_BATCH = 10_000;
/** Keys looked up per query. */
const KEYS_PER_LOOKUP = 50_000;

type IndexState = { cursor?: string; rulesFingerprint?: string };

export class SqlCandidateIndex implements CandidateIndex {
  constructor(private readonly context: StoreContext) {}

  async upsert(contacts: readonly IndexedContact[]): Promise<void> {
    if (contacts.length === 0) return;
    // The last entry wins when one batch names a contact twice, as a later change would.
    const latest = [...new Map(contacts.map((contact) => [contact.crmId, contact])).values()];
    await this.context.atomically(async (db) => {
      for (const batch of chunks(latest, CONTACTS_PER_BATCH)) {
        await this.deleteKeysOf(
          db,
          batch.map((contact) => contact.crmId),
        );
        await this.insert(db, batch);
      }
    });
  }

  async remove(crmIds: readonly string[]): Promise<void> {
    if (crmIds.length === 0) return;
    await this.context.atomically(async (db) => {
      for (const batch of chunks([...new Set(crmIds)], CONTACTS_PER_BATCH)) {
        await this.deleteKeysOf(db, batch);
        await db
          .deleteFrom('index_contacts')
          .where('crm_id', 'in', (eb) =>
            eb.selectFrom(this.rows(batch.map((id) => [id]))).select(field(0).as('id')),
          )
          .execute();
      }
    });
  }

  async rebuild(
    contacts: AsyncIterable<IndexedContact> | Iterable<IndexedContact>,
    state: IndexState,
  ): Promise<number> {
    await this.context.atomically(async (db) => {
      await dropCandidateKeyIndexes(db);
      await emptyIndex(db, this.context.dialect);
    });
    let indexed = 0;
    let batch: IndexedContact[] = [];
    const flush = async () => {
      const full = batch;
      batch = [];
      await this.context.atomically((db) => this.insert(db, full));
      indexed += full.length;
    };
    try {
      for await (const contact of contacts) {
        batch.push(contact);
        if (batch.length === CONTACTS_PER_BATCH) await flush();
      }
      if (batch.length > 0) await flush();
    } catch (error) {
      // Lookups and upserts stay fast while the index waits for the next rebuild.
      await this.context.atomically((db) => createCandidateKeyIndexes(db)).catch(() => {});
      throw error;
    }
    await this.context.atomically(async (db) => {
      await createCandidateKeyIndexes(db);
      // PostgreSQL plans lookups from table statistics, which a bulk load leaves stale
      // enough that it would scan a million rows instead of using the index.
      if (this.context.dialect === 'postgres') await sql`analyze index_keys, index_contacts`.execute(db);
      await this.setStateIn(db, state);
    });
    return indexed;
  }

  async candidates(
    keySets: readonly (readonly string[])[],
  ): Promise<{ crmId: string; contact: ContactJson; sharedKeys: string[] }[][]> {
    const holders = new Map<string, Set<string>>();
    const contacts = new Map<string, ContactJson>();
    for (const batch of chunks([...new Set(keySets.flat())], KEYS_PER_LOOKUP)) {
      const rows = await this.context.db
        .selectFrom('index_keys as k')
        .innerJoin('index_contacts as c', 'c.crm_id', 'k.crm_id')
        .select(['k.key', 'k.crm_id', 'c.contact'])
        .where('k.key', 'in', (eb) =>
          eb.selectFrom(this.rows(batch.map((key) => [key]))).select(field(0).as('key')),
        )
        .execute();
      for (const { key, crm_id, contact } of rows) {
        const ids = holders.get(key);
        if (ids) ids.add(crm_id);
        else holders.set(key, new Set([crm_id]));
        // A contact sharing several keys comes once per key; its JSON is read once.
        if (!contacts.has(crm_id)) contacts.set(crm_id, fromJson<ContactJson>(contact));
      }
    }
    return keySets.map((keys) => {
      const shared = new Map<string, string[]>();
      for (const key of new Set(keys))
        for (const crmId of holders.get(key) ?? []) {
          const sharedKeys = shared.get(crmId);
          if (sharedKeys) sharedKeys.push(key);
          else shared.set(crmId, [key]);
        }
      return [...shared].map(([crmId, sharedKeys]) => ({ crmId, contact: contacts.get(crmId)!, sharedKeys }));
    });
  }

  async size(): Promise<number> {
    const row = await this.context.db
      .selectFrom('index_contacts')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  clear(): Promise<void> {
    return this.context.atomically(async (db) => {
      await emptyIndex(db, this.context.dialect);
      // A rebuild cut short by a crash left the key indexes dropped; a fresh start restores them.
      await createCandidateKeyIndexes(db);
    });
  }

  async getState(): Promise<IndexState> {
    const row = await this.context.db
      .selectFrom('index_state')
      .select(['cursor', 'rules_fingerprint'])
      .where('id', '=', STATE_ROW)
      .executeTakeFirst();
    const state: IndexState = {};
    if (row?.cursor != null) state.cursor = row.cursor;
    if (row?.rules_fingerprint != null) state.rulesFingerprint = row.rules_fingerprint;
    return state;
  }

  /** Writes the fields given; a field left out keeps its value. */
  setState(state: IndexState): Promise<void> {
    return this.setStateIn(this.context.db, state);
  }

  private async setStateIn(db: StoreDb, state: IndexState): Promise<void> {
    const change: { cursor?: string; rules_fingerprint?: string } = {};
    if (state.cursor !== undefined) change.cursor = state.cursor;
    if (state.rulesFingerprint !== undefined) change.rules_fingerprint = state.rulesFingerprint;
    if (Object.keys(change).length === 0) return;
    await db
      .insertInto('index_state')
      .values({ id: STATE_ROW, cursor: null, rules_fingerprint: null, ...change })
      .onConflict((conflict) => conflict.column('id').doUpdateSet(change))
      .execute();
  }

  private rows(rows: readonly (readonly unknown[])[]) {
    return jsonRows(this.context.dialect, rows).as('rows');
  }

  /** Adds contacts and their keys; a contact indexed already gets the new JSON. */
  private async insert(db: StoreDb, contacts: readonly IndexedContact[]): Promise<void> {
    const contactRows = contacts.map(({ crmId, contact }) => [crmId, contact]);
    await db
      .insertInto('index_contacts')
      .columns(['crm_id', 'contact'])
      .expression((eb) =>
        eb
          .selectFrom(this.rows(contactRows))
          .select([field(0).as('crm_id'), jsonField(this.context.dialect, 1).as('contact')])
          // SQLite reads `ON CONFLICT` after a bare `SELECT … FROM` as part of a join.
          .where((eb) => eb.lit(true)),
      )
      .onConflict((conflict) =>
        conflict.column('crm_id').doUpdateSet((eb) => ({ contact: eb.ref('excluded.contact') })),
      )
      .execute();
    const keyRows = contacts.flatMap(({ crmId, keys }) => [...new Set(keys)].map((key) => [key, crmId]));
    if (keyRows.length === 0) return;
    await db
      .insertInto('index_keys')
      .columns(['key', 'crm_id'])
      .expression((eb) =>
        eb.selectFrom(this.rows(keyRows)).select([field(0).as('key'), field(1).as('crm_id')]),
      )
      .execute();
  }

  private async deleteKeysOf(db: StoreDb, crmIds: readonly string[]): Promise<void> {
    await db
      .deleteFrom('index_keys')
      .where('crm_id', 'in', (eb) =>
        eb.selectFrom(this.rows(crmIds.map((id) => [id]))).select(field(0).as('id')),
      )
      .execute();
  }
}

/** An empty index is current to no cursor: the state goes with the contacts. */
async function emptyIndex(db: StoreDb, dialect: StoreDialect): Promise<void> {
  // Deleting a million rows one by one leaves PostgreSQL as much to vacuum; SQLite has no
  // TRUNCATE but empties a whole table as quickly when a DELETE has no WHERE.
  if (dialect === 'postgres') await sql`truncate index_keys, index_contacts`.execute(db);
  else {
    await db.deleteFrom('index_keys').execute();
    await db.deleteFrom('index_contacts').execute();
  }
  await db.deleteFrom('index_state').execute();
}
