import { sql } from 'kysely';
import type { StoreContext } from '../store-context.js';
import {
  bucketColumns,
  contactColumns,
  crmIdIndex,
  type IndexState,
  type Row,
  RowWriter,
  writeIndexState,
} from './index-rows.js';
import { encodeHashes, KeyPairs } from './key-buckets.js';

/**
 * Contacts of a rebuild on their way to the tables, numbered on from `firstOrdinal`: strings
 * and two typed arrays, so that a batch crosses to another thread as a few copies rather
 * than an object per value.
 */
export interface LoadBatch {
  firstOrdinal: number;
  crmIds: string[];
  /**
   * Each contact's JSON and its profiles' JSON, one after the other, joined by NUL: JSON never
   * holds one unescaped, and one string crosses a thread far quicker than thousands.
   */
  json: string;
  /** The key hashes of all the batch's contacts, one contact after the other. */
  hashes: Float64Array;
  /** How many of `hashes` each contact has. */
  hashCounts: Uint16Array;
}

/** Collects contacts into a batch. */
export class LoadBatchBuilder {
  private crmIds: string[] = [];
  private json: string[] = [];
  private hashes: number[] = [];
  private hashCounts: number[] = [];

  constructor(private firstOrdinal: number) {}

  get length(): number {
    return this.hashCounts.length;
  }

  add(crmId: string, contact: string, profiles: string, hashes: readonly number[]): void {
    this.crmIds.push(crmId);
    this.json.push(contact, profiles);
    for (const hash of hashes) this.hashes.push(hash);
    this.hashCounts.push(hashes.length);
  }

  /** The batch so far; the builder starts the next one, numbered on. */
  take(): LoadBatch {
    const batch: LoadBatch = {
      firstOrdinal: this.firstOrdinal,
      crmIds: this.crmIds,
      json: this.json.join('\0'),
      hashes: Float64Array.from(this.hashes),
      hashCounts: Uint16Array.from(this.hashCounts),
    };
    this.firstOrdinal += this.hashCounts.length;
    this.crmIds = [];
    this.json = [];
    this.hashes = [];
    this.hashCounts = [];
    return batch;
  }
}

/** Where a rebuild's batches are written: in this thread, or in a thread of its own. */
export interface IndexLoad {
  /** Takes a batch; may answer before it is written, and fails with the write that failed. */
  add(batch: LoadBatch): Promise<void>;
  /** Writes what is left (the key buckets, the index by CRM id, the state) once all batches are in. */
  finish(state: IndexState): Promise<void>;
  /** Lets go of what the load holds, finished or not. */
  close(): Promise<void>;
}

/**
 * The load into the store's tables through one connection. The keys wait in memory (16 bytes
 * each) and are filed once at the end, bucket by bucket.
 */
export class TableIndexLoad implements IndexLoad {
  private readonly pairs = new KeyPairs();
  private readonly writer: RowWriter;

  constructor(private readonly context: StoreContext) {
    this.writer = new RowWriter(context.dialect);
  }

  add(batch: LoadBatch): Promise<void> {
    const rows: Row[] = [];
    const json = batch.json.split('\0');
    let from = 0;
    batch.hashCounts.forEach((count, at) => {
      const ordinal = batch.firstOrdinal + at;
      const hashes = batch.hashes.subarray(from, from + count);
      for (const hash of hashes) this.pairs.add(hash, ordinal);
      rows.push([ordinal, batch.crmIds[at], encodeHashes(hashes), json[2 * at], json[2 * at + 1]]);
      from += count;
    });
    return this.context.atomically((db) =>
      this.writer.insert(db, 'index_contacts', contactColumns, rows, ''),
    );
  }

  async finish(state: IndexState): Promise<void> {
    await this.context.atomically(async (db) => {
      await crmIdIndex(db).execute();
      await this.writer.insert(db, 'index_buckets', bucketColumns, this.pairs.byBucket(), '');
      // PostgreSQL plans lookups from table statistics, which a bulk load leaves stale
      // enough that it would scan a million rows instead of using the index.
      if (this.context.dialect === 'postgres') await sql`analyze index_buckets, index_contacts`.execute(db);
      await writeIndexState(db, state);
    });
    // SQLite keeps what a transaction wrote in its write-ahead log until a checkpoint copies it
    // into the database file, and a page still in the log is found through the log's index,
    // page by page: a million rows just loaded are moved at once. Should a reader keep the
    // checkpoint from finishing, the automatic ones go on later.
    if (this.context.dialect === 'sqlite')
      await sql`pragma wal_checkpoint(truncate)`.execute(this.context.db).catch(() => undefined);
  }

  async close(): Promise<void> {}
}
