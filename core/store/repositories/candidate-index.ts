import { sql } from 'kysely';
import type { ContactJson } from '../../domain/contact-json.js';
import { screenHere } from '../../pipeline/dedupe/screen-pairs.js';
import { keyHash } from '../key-hash.js';
import type { StoreDialect } from '../migrations.js';
import type {
  CandidateEntry,
  CandidateIndex,
  IndexedContact,
  RuleScreen,
  ScreenedPair,
  ScreenQuery,
} from '../state-store.js';
import { chunks, fromJson, type StoreContext, type StoreDb } from '../store-context.js';
import {
  candidatesOfKeySets,
  integers,
  lookUpHashes,
  readBuckets,
  texts,
  VALUES_PER_LOOKUP,
} from './hash-lookup.js';
import { LoadBatchBuilder, TableIndexLoad } from './index-load.js';
import {
  bucketColumns,
  contactColumns,
  crmIdIndex,
  type IndexState,
  type Row,
  RowWriter,
  writeIndexState,
} from './index-rows.js';
import type { IndexThreads } from './index-threads.js';
import { bucketOf, decodeHashes, encodeHashes, encodePairs } from './key-buckets.js';

/** Contacts per statement and, in a rebuild, per transaction. */
const CONTACTS_PER_BATCH = 2_000;

/**
 * The candidate index in the state store. Each contact gets a number (its ordinal); each key
 * is filed as its hash with that number in one of a fixed number of buckets (`key-buckets.ts`).
 * A lookup reads the buckets of the keys asked, then each contact found once, however many
 * keys it shares.
 */
export class SqlCandidateIndex implements CandidateIndex {
  private readonly writer: RowWriter;

  /**
   * `threads`, when given, take a rebuild's writes and the lookups off this thread: a SQLite
   * file is filled while the next contacts are derived, and read while the last candidates
   * are judged.
   */
  constructor(
    private readonly context: StoreContext,
    private readonly threads?: IndexThreads,
  ) {
    this.writer = new RowWriter(context.dialect);
  }

  async upsert(contacts: readonly IndexedContact[]): Promise<void> {
    if (contacts.length === 0) return;
    // The last entry wins when one batch names a contact twice, as a later change would.
    const latest = [...new Map(contacts.map((contact) => [contact.crmId, contact])).values()];
    await this.context.atomically(async (db) => {
      for (const batch of chunks(latest, CONTACTS_PER_BATCH)) {
        const known = await this.indexedByCrmId(
          db,
          batch.map((contact) => contact.crmId),
        );
        // A contact indexed already keeps its ordinal; the new ones count on from the highest.
        const highest = await sql<{ highest: number | string | null }>`
          select max(ordinal) as highest from index_contacts`.execute(db);
        let next = Number(highest.rows[0]?.highest ?? 0) + 1;
        const entries = batch.map((contact) => ({
          ...contact,
          ordinal: known.get(contact.crmId)?.ordinal ?? next++,
          hashes: hashesOf(contact.keys),
        }));
        await this.refile(db, [...known.values()], entries);
        await this.insertContacts(db, entries);
      }
    });
  }

  async remove(crmIds: readonly string[]): Promise<void> {
    if (crmIds.length === 0) return;
    await this.context.atomically(async (db) => {
      for (const batch of chunks([...new Set(crmIds)], CONTACTS_PER_BATCH)) {
        await this.refile(db, [...(await this.indexedByCrmId(db, batch)).values()], []);
        await sql`delete from index_contacts where crm_id in (${texts(this.context.dialect, batch)})`.execute(
          db,
        );
      }
    });
  }

  async rebuild(
    contacts: AsyncIterable<IndexedContact> | Iterable<IndexedContact>,
    state: IndexState,
  ): Promise<number> {
    // A table fills faster without an index to keep in step: the one by CRM id is built once,
    // when everything is in. Until then the index has no rules fingerprint, so an interrupted
    // rebuild is run again before anything else writes to it.
    await this.context.atomically(async (db) => {
      await emptyIndex(db, this.context.dialect);
      await sql`drop index if exists index_contacts_by_crm_id`.execute(db);
    });
    try {
      const indexed = await this.load(contacts, state);
      // Lookups follow a rebuild.
      this.threads?.warm();
      return indexed;
    } catch (error) {
      // What was loaded stays findable by CRM id; the failure that stopped the load is what counts.
      await crmIdIndex(this.context.db)
        .ifNotExists()
        .execute()
        .catch(() => undefined);
      throw error;
    }
  }

  private async load(
    contacts: AsyncIterable<IndexedContact> | Iterable<IndexedContact>,
    state: IndexState,
  ): Promise<number> {
    const load = this.threads?.newLoad() ?? new TableIndexLoad(this.context);
    try {
      const batch = new LoadBatchBuilder(1, CONTACTS_PER_BATCH);
      let indexed = 0;
      // Each contact becomes its row at once, so that what was derived of it dies young.
      /** Files one contact; answers the batch's hand-over when it filled one. */
      const file = (contact: IndexedContact): Promise<void> | undefined => {
        indexed++;
        batch.add(contact.crmId, contactJson(contact), profilesJson(contact), hashesOf(contact.keys));
        return batch.length === CONTACTS_PER_BATCH ? load.add(batch.take()) : undefined;
      };
      // A contact at hand is not awaited, only a hand-over: a million awaits would cost seconds of their own.
      if (Symbol.iterator in contacts)
        for (const contact of contacts) {
          const handing = file(contact);
          if (handing) await handing;
        }
      else for await (const contact of contacts) await file(contact);
      if (batch.length > 0) await load.add(batch.take());
      await load.finish(state);
      return indexed;
    } finally {
      await load.close();
    }
  }

  async candidates(keySets: readonly (readonly string[])[]): Promise<CandidateEntry[][]> {
    return candidatesOfKeySets(
      keySets,
      (hashes) => this.threads?.lookUp(hashes) ?? lookUpHashes(this.context.db, this.context.dialect, hashes),
    );
  }

  screen(queries: readonly ScreenQuery[], rules: readonly RuleScreen[]): Promise<ScreenedPair[][]> {
    // A thread can screen with a rule only through its module; the rule object stays here.
    if (this.threads && rules.every((rule) => !rule.mayMatch || rule.module))
      return this.threads.screen(
        queries,
        rules.map(({ id, module }) => (module ? { id, module } : { id })),
      );
    return screenHere(this, queries, rules);
  }

  async contacts(crmIds: readonly string[]): Promise<Map<string, ContactJson>> {
    const contacts = new Map<string, ContactJson>();
    for (const batch of chunks([...new Set(crmIds)], VALUES_PER_LOOKUP)) {
      const found = await sql<{ crm_id: string; contact: string }>`
        select crm_id, contact from index_contacts where crm_id in (${texts(this.context.dialect, batch)})`.execute(
        this.context.db,
      );
      for (const row of found.rows) contacts.set(row.crm_id, fromJson<ContactJson>(row.contact));
    }
    return contacts;
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
    // The state is asked before the index is brought up to date and used.
    this.threads?.warm();
    const row = await this.context.db
      .selectFrom('index_state')
      .select(['cursor', 'rules_fingerprint'])
      .where('id', '=', 1)
      .executeTakeFirst();
    const state: IndexState = {};
    if (row?.cursor != null) state.cursor = row.cursor;
    if (row?.rules_fingerprint != null) state.rulesFingerprint = row.rules_fingerprint;
    return state;
  }

  /** Writes the fields given; a field left out keeps its value. */
  setState(state: IndexState): Promise<void> {
    return writeIndexState(this.context.db, state);
  }

  /** The contacts indexed under these CRM ids, with their ordinals and key hashes. */
  private async indexedByCrmId(db: StoreDb, crmIds: readonly string[]) {
    const found = await sql<{ ordinal: number | string; crm_id: string; key_hashes: Uint8Array }>`
      select ordinal, crm_id, key_hashes from index_contacts where crm_id in (${texts(this.context.dialect, crmIds)})`.execute(
      db,
    );
    return new Map(
      found.rows.map((row) => [
        row.crm_id,
        { ordinal: Number(row.ordinal), hashes: decodeHashes(row.key_hashes) },
      ]),
    );
  }

  /**
   * Takes the pairs of the contacts `before` out of their buckets and files those of `after`:
   * only the buckets either touches are read and written, and a bucket left empty goes.
   */
  private async refile(
    db: StoreDb,
    before: readonly { ordinal: number; hashes: readonly number[] }[],
    after: readonly { ordinal: number; hashes: readonly number[] }[],
  ): Promise<void> {
    const leaving = new Set(before.map((contact) => contact.ordinal));
    const buckets = new Map<number, [number, number][]>();
    for (const { hashes } of [...before, ...after])
      for (const hash of hashes) buckets.set(bucketOf(hash), []);
    await readBuckets(db, this.context.dialect, [...buckets.keys()], (hash, ordinal) => {
      if (!leaving.has(ordinal)) buckets.get(bucketOf(hash))!.push([hash, ordinal]);
    });
    for (const { ordinal, hashes } of after)
      for (const hash of hashes) buckets.get(bucketOf(hash))!.push([hash, ordinal]);
    const emptied = [...buckets].filter(([, pairs]) => pairs.length === 0).map(([bucket]) => bucket);
    for (const batch of chunks(emptied, VALUES_PER_LOOKUP))
      await sql`delete from index_buckets where bucket in (${integers(this.context.dialect, batch)})`.execute(
        db,
      );
    const filled = [...buckets]
      .filter(([, pairs]) => pairs.length > 0)
      .map(([bucket, pairs]): Row => [bucket, encodePairs(pairs)]);
    await this.writer.insert(
      db,
      'index_buckets',
      bucketColumns,
      filled,
      'on conflict (bucket) do update set entries = excluded.entries',
    );
  }

  /** Adds contacts with their ordinals and key hashes; one indexed already gets the new ones. */
  private insertContacts(
    db: StoreDb,
    contacts: readonly (IndexedContact & { ordinal: number; hashes: readonly number[] })[],
  ): Promise<void> {
    return this.writer.insert(
      db,
      'index_contacts',
      contactColumns,
      contacts.map((contact) => contactRow(contact.ordinal, contact, contact.hashes)),
      'on conflict (crm_id) do update set key_hashes = excluded.key_hashes, contact = excluded.contact, profiles = excluded.profiles',
    );
  }
}

/** A contact's row of `index_contacts`, in the order of `contactColumns`. */
function contactRow(ordinal: number, contact: IndexedContact, hashes: readonly number[]): Row {
  return [ordinal, contact.crmId, encodeHashes(hashes), contactJson(contact), profilesJson(contact)];
}

const contactJson = (contact: IndexedContact) => JSON.stringify(contact.contact);
const profilesJson = (contact: IndexedContact) =>
  contact.profiles ? JSON.stringify(contact.profiles) : '{}';

/** Each key's hash once: two keys of one contact sharing a hash would file it twice. */
function hashesOf(keys: readonly string[]): number[] {
  // A contact has a dozen keys: a scan is cheaper than a set, a million times over.
  const hashes: number[] = [];
  for (const key of keys) {
    const hash = keyHash(key);
    if (!hashes.includes(hash)) hashes.push(hash);
  }
  return hashes;
}

/** An empty index is current to no cursor: the state goes with the contacts. */
async function emptyIndex(db: StoreDb, dialect: StoreDialect): Promise<void> {
  // Deleting a million rows one by one leaves PostgreSQL as much to vacuum; SQLite has no
  // TRUNCATE but empties a whole table as quickly when a DELETE has no WHERE.
  if (dialect === 'postgres') await sql`truncate index_buckets, index_contacts`.execute(db);
  else {
    await db.deleteFrom('index_buckets').execute();
    await db.deleteFrom('index_contacts').execute();
  }
  await db.deleteFrom('index_state').execute();
}
