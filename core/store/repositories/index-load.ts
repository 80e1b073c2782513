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
 * Contacts of a rebuild on their way to the tables, numbered on from `firstOrdinal`, as a few
 * typed arrays: each contact's texts are written as UTF-8 the moment it is filed, so the
 * strings die young instead of being copied by every collection until the batch is full, and
 * the batch crosses to another thread without a copy.
 */
export interface LoadBatch {
  firstOrdinal: number;
  /** Each contact's CRM id, JSON and profiles' JSON, one after the other. */
  texts: Uint8Array;
  /** Where each of those texts ends in `texts`. */
  textEnds: Uint32Array;
  /** The key hashes of all the batch's contacts, one contact after the other. */
  hashes: Float64Array;
  /** How many of `hashes` each contact has. */
  hashCounts: Uint16Array;
}

const textsPerContact = 3;

/** Collects contacts into a batch of at most `capacity`. */
export class LoadBatchBuilder {
  private texts = Buffer.allocUnsafeSlow(1 << 21);
  private textEnds: Uint32Array;
  private hashes: Float64Array;
  private hashCounts: Uint16Array;
  private written = 0;
  private contacts = 0;
  private hashCount = 0;

  constructor(
    private firstOrdinal: number,
    private readonly capacity: number,
  ) {
    this.textEnds = new Uint32Array(capacity * textsPerContact);
    this.hashCounts = new Uint16Array(capacity);
    this.hashes = new Float64Array(capacity * 16);
  }

  get length(): number {
    return this.contacts;
  }

  add(crmId: string, contact: string, profiles: string, hashes: readonly number[]): void {
    // A full batch must be taken first: the typed arrays would drop what lies past their end.
    if (this.contacts === this.capacity)
      throw new Error(`a load batch holds ${this.capacity} contacts at most`);
    const at = this.contacts++;
    this.write(crmId, at * textsPerContact);
    this.write(contact, at * textsPerContact + 1);
    this.write(profiles, at * textsPerContact + 2);
    if (this.hashCount + hashes.length > this.hashes.length) {
      const grown = new Float64Array(Math.max(this.hashes.length * 2, this.hashCount + hashes.length));
      grown.set(this.hashes);
      this.hashes = grown;
    }
    for (const hash of hashes) this.hashes[this.hashCount++] = hash;
    this.hashCounts[at] = hashes.length;
  }

  /** The batch so far; the builder starts the next one, numbered on. */
  take(): LoadBatch {
    const batch: LoadBatch = {
      firstOrdinal: this.firstOrdinal,
      texts: this.texts.subarray(0, this.written),
      textEnds: this.textEnds.subarray(0, this.contacts * textsPerContact),
      hashes: this.hashes.subarray(0, this.hashCount),
      hashCounts: this.hashCounts.subarray(0, this.contacts),
    };
    // The arrays go with the batch (to another thread, perhaps); the next batch has its own.
    this.firstOrdinal += this.contacts;
    this.texts = Buffer.allocUnsafeSlow(this.texts.length);
    this.textEnds = new Uint32Array(this.textEnds.length);
    this.hashes = new Float64Array(this.hashes.length);
    this.hashCounts = new Uint16Array(this.hashCounts.length);
    this.written = this.contacts = this.hashCount = 0;
    return batch;
  }

  private write(text: string, slot: number): void {
    // A UTF-16 code unit takes at most three bytes of UTF-8.
    if (this.written + text.length * 3 > this.texts.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.texts.length * 2, this.written + text.length * 3));
      this.texts.copy(grown, 0, 0, this.written);
      this.texts = grown;
    }
    this.written += this.texts.write(text, this.written);
    this.textEnds[slot] = this.written;
  }
}

/** Calls `each` with every contact of a batch: its ordinal, texts and key hashes. */
export function forEachLoaded(
  batch: LoadBatch,
  each: (ordinal: number, crmId: string, contact: string, profiles: string, hashes: Float64Array) => void,
): void {
  const texts = Buffer.from(batch.texts.buffer, batch.texts.byteOffset, batch.texts.byteLength);
  const ends = batch.textEnds;
  const text = (slot: number) => texts.toString('utf8', slot === 0 ? 0 : ends[slot - 1], ends[slot]);
  let from = 0;
  batch.hashCounts.forEach((count, at) => {
    const first = at * textsPerContact;
    each(
      batch.firstOrdinal + at,
      text(first),
      text(first + 1),
      text(first + 2),
      batch.hashes.subarray(from, from + count),
    );
    from += count;
  });
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
    forEachLoaded(batch, (ordinal, crmId, contact, profiles, hashes) => {
      for (const hash of hashes) this.pairs.add(hash, ordinal);
      rows.push([ordinal, crmId, encodeHashes(hashes), contact, profiles]);
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
