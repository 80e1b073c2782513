import { type RawBuilder, sql } from 'kysely';
import type { ContactJson } from '../../domain/contact-json.js';
import { keyHash } from '../key-hash.js';
import type { StoreDialect } from '../migrations.js';
import type { CandidateIndex, IndexedContact } from '../state-store.js';
import { chunks, fromJson, type StoreContext, type StoreDb } from '../store-context.js';

const STATE_ROW = 1;
/** Contacts per statement and, in a rebuild, per transaction. */
const CONTACTS_PER_BATCH = 10_000;
/** Keys, or contacts, looked up per query. */
const VALUES_PER_LOOKUP = 50_000;

type IndexState = { cursor?: string; rulesFingerprint?: string };
type Candidate = { crmId: string; contact: ContactJson; sharedKeys: string[] };

/**
 * The candidate index in the state store. Each contact gets a number (its ordinal) and each
 * key is stored as its hash with that number: the keys of a million contacts are ten million
 * pairs of integers, which load, sort and look up far faster than strings would. A lookup
 * finds the ordinals by key first and reads each contact once, however many keys it shares.
 */
export class SqlCandidateIndex implements CandidateIndex {
  constructor(private readonly context: StoreContext) {}

  async upsert(contacts: readonly IndexedContact[]): Promise<void> {
    if (contacts.length === 0) return;
    // The last entry wins when one batch names a contact twice, as a later change would.
    const latest = [...new Map(contacts.map((contact) => [contact.crmId, contact])).values()];
    await this.context.atomically(async (db) => {
      for (const batch of chunks(latest, CONTACTS_PER_BATCH)) {
        const crmIds = batch.map((contact) => contact.crmId);
        await this.deleteKeysOf(db, crmIds);
        // A contact indexed already keeps its ordinal; the new ones count on from the highest.
        const highest = await sql<{ highest: number | string | null }>`
          select max(ordinal) as highest from index_contacts`.execute(db);
        await this.insertContacts(db, batch, Number(highest.rows[0]?.highest ?? 0) + 1);
        await sql`insert into index_keys (key, ordinal)
          ${this.keysOfContacts(sql`c.crm_id in (${this.texts(crmIds)})`)}`.execute(db);
      }
    });
  }

  async remove(crmIds: readonly string[]): Promise<void> {
    if (crmIds.length === 0) return;
    await this.context.atomically(async (db) => {
      for (const batch of chunks([...new Set(crmIds)], CONTACTS_PER_BATCH)) {
        await this.deleteKeysOf(db, batch);
        await sql`delete from index_contacts where crm_id in (${this.texts(batch)})`.execute(db);
      }
    });
  }

  async rebuild(
    contacts: AsyncIterable<IndexedContact> | Iterable<IndexedContact>,
    state: IndexState,
  ): Promise<number> {
    await this.context.atomically((db) => emptyIndex(db, this.context.dialect));
    let indexed = 0;
    let batch: IndexedContact[] = [];
    const flush = async () => {
      const full = batch;
      batch = [];
      await this.context.atomically((db) => this.insertContacts(db, full, indexed + 1));
      indexed += full.length;
    };
    for await (const contact of contacts) {
      batch.push(contact);
      if (batch.length === CONTACTS_PER_BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    await this.context.atomically(async (db) => {
      // All keys at once and in order: each goes to the end of the key tree, none in between.
      await sql`insert into index_keys (key, ordinal)
        ${this.keysOfContacts(sql`true`)} order by 1, 2`.execute(db);
      // PostgreSQL plans lookups from table statistics, which a bulk load leaves stale
      // enough that it would scan a million rows instead of using the index.
      if (this.context.dialect === 'postgres') await sql`analyze index_keys, index_contacts`.execute(db);
      await this.setStateIn(db, state);
    });
    return indexed;
  }

  async candidates(keySets: readonly (readonly string[])[]): Promise<Candidate[][]> {
    const hashOf = new Map<string, number>();
    for (const keys of keySets) for (const key of keys) if (!hashOf.has(key)) hashOf.set(key, keyHash(key));
    const holders = new Map<number, number[]>();
    for (const batch of chunks([...new Set(hashOf.values())], VALUES_PER_LOOKUP)) {
      const found = await sql<{ key: number | string; ordinal: number | string }>`
        select key, ordinal from index_keys where key in (${this.integers(batch)})`.execute(this.context.db);
      for (const row of found.rows) {
        const key = Number(row.key);
        const ordinals = holders.get(key);
        if (ordinals) ordinals.push(Number(row.ordinal));
        else holders.set(key, [Number(row.ordinal)]);
      }
    }
    const contacts = await this.contactsByOrdinal([...new Set([...holders.values()].flat())]);
    return keySets.map((keys) => {
      const shared = new Map<number, string[]>();
      for (const key of new Set(keys))
        for (const ordinal of holders.get(hashOf.get(key)!) ?? []) {
          const sharedKeys = shared.get(ordinal);
          if (sharedKeys) sharedKeys.push(key);
          else shared.set(ordinal, [key]);
        }
      return [...shared].map(([ordinal, sharedKeys]) => ({ ...contacts.get(ordinal)!, sharedKeys }));
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
    return this.context.atomically((db) => emptyIndex(db, this.context.dialect));
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

  /** Each contact read once, with its CRM id, by ordinal. */
  private async contactsByOrdinal(
    ordinals: readonly number[],
  ): Promise<Map<number, { crmId: string; contact: ContactJson }>> {
    const contacts = new Map<number, { crmId: string; contact: ContactJson }>();
    for (const batch of chunks(ordinals, VALUES_PER_LOOKUP)) {
      const found = await sql<{ ordinal: number | string; crm_id: string; contact: string }>`
        select ordinal, crm_id, contact from index_contacts where ordinal in (${this.integers(batch)})`.execute(
        this.context.db,
      );
      for (const row of found.rows)
        contacts.set(Number(row.ordinal), { crmId: row.crm_id, contact: fromJson<ContactJson>(row.contact) });
    }
    return contacts;
  }

  /**
   * Adds contacts, numbered from `firstOrdinal` on, with the hashes of their keys; a contact
   * indexed already keeps its ordinal and gets the new JSON and hashes. Its keys are not
   * filed here: `keysOfContacts` reads them back from the hashes.
   */
  private async insertContacts(
    db: StoreDb,
    contacts: readonly IndexedContact[],
    firstOrdinal: number,
  ): Promise<void> {
    const rows = contacts.map(({ crmId, contact, keys }, at) => [
      firstOrdinal + at,
      crmId,
      [...new Set(keys.map(keyHash))],
      contact,
    ]);
    const { dialect } = this.context;
    const json = JSON.stringify(rows);
    const values =
      dialect === 'postgres'
        ? sql`select (value ->> 0)::bigint, value ->> 1, (value -> 2)::text, (value -> 3)::text
            from json_array_elements(${json}::json)`
        : // SQLite reads `ON CONFLICT` after a bare `SELECT … FROM` as part of a join.
          sql`select value ->> 0, value ->> 1, value -> 2, value -> 3 from json_each(${json}) where true`;
    await sql`insert into index_contacts (ordinal, crm_id, key_hashes, contact) ${values}
      on conflict (crm_id) do update set key_hashes = excluded.key_hashes, contact = excluded.contact`.execute(
      db,
    );
  }

  private async deleteKeysOf(db: StoreDb, crmIds: readonly string[]): Promise<void> {
    await sql`delete from index_keys where (key, ordinal) in (
      ${this.keysOfContacts(sql`c.crm_id in (${this.texts(crmIds)})`)})`.execute(db);
  }

  /** The key entries of the indexed contacts that `where` selects (as `c`), from their hashes. */
  private keysOfContacts(where: RawBuilder<unknown>): RawBuilder<unknown> {
    return this.context.dialect === 'postgres'
      ? sql`select k.value::bigint, c.ordinal
          from index_contacts c, json_array_elements_text(c.key_hashes::json) k where ${where}`
      : sql`select k.value, c.ordinal from index_contacts c, json_each(c.key_hashes) k where ${where}`;
  }

  /** Many integers as one JSON parameter, read back as a one-column table. */
  private integers(values: readonly number[]): RawBuilder<unknown> {
    const json = JSON.stringify(values);
    return this.context.dialect === 'postgres'
      ? sql`select value::bigint from json_array_elements_text(${json}::json)`
      : sql`select value from json_each(${json})`;
  }

  /** Many strings as one JSON parameter, read back as a one-column table. */
  private texts(values: readonly string[]): RawBuilder<unknown> {
    const json = JSON.stringify(values);
    return this.context.dialect === 'postgres'
      ? sql`select value from json_array_elements_text(${json}::json)`
      : sql`select value from json_each(${json})`;
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
