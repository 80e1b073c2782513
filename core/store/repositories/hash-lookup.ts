import { type RawBuilder, sql } from 'kysely';
import type { StoreDialect } from '../migrations.js';
import { chunks, type StoreDb } from '../store-context.js';
import { bucketOf, forEachPair } from './key-buckets.js';

/** Keys, buckets or contacts looked up per query. */
export const VALUES_PER_LOOKUP = 50_000;

/**
 * What the index holds under some key hashes, in a form that crosses threads as two copies:
 * the (hash, ordinal) pairs filed under them, one after the other, and the contacts they
 * name as one JSON array of `[ordinal, crmId, profiles]`.
 */
export interface HashLookup {
  pairs: Float64Array;
  contacts: string;
}

/** Reads the buckets of the hashes, then each contact found once, however many keys it shares. */
export async function lookUpHashes(
  db: StoreDb,
  dialect: StoreDialect,
  hashes: Float64Array,
): Promise<HashLookup> {
  const wanted = new Set(hashes);
  const found: number[] = [];
  const ordinals = new Set<number>();
  await readBuckets(db, dialect, [...new Set(Array.from(hashes, bucketOf))], (hash, ordinal) => {
    if (!wanted.has(hash)) return;
    found.push(hash, ordinal);
    ordinals.add(ordinal);
  });
  const parts: string[] = [];
  // In ascending order, the rows are read front to back instead of all over the file.
  for (const batch of chunks([...ordinals].sort(byNumber), VALUES_PER_LOOKUP)) {
    // The database writes the array: one string per query instead of an object per row.
    const query =
      dialect === 'postgres'
        ? sql<{ rows: string | null }>`
          select json_agg(json_build_array(ordinal, crm_id, profiles::json))::text as rows
          from index_contacts where ordinal in (${integers(dialect, batch)})`
        : sql<{ rows: string | null }>`
          select group_concat('[' || ordinal || ',' || json_quote(crm_id) || ',' || profiles || ']') as rows
          from index_contacts where ordinal in (${integers(dialect, batch)})`;
    const rows = (await query.execute(db)).rows[0]?.rows;
    if (rows) parts.push(dialect === 'postgres' ? rows.slice(1, -1) : rows);
  }
  return { pairs: Float64Array.from(found), contacts: `[${parts.join(',')}]` };
}

/** Calls `each` with every pair filed in the buckets given. */
export async function readBuckets(
  db: StoreDb,
  dialect: StoreDialect,
  buckets: readonly number[],
  each: (hash: number, ordinal: number) => void,
): Promise<void> {
  // In ascending order, the rows are read front to back instead of all over the file.
  const ascending = [...new Set(buckets)].sort(byNumber);
  for (const batch of chunks(ascending, VALUES_PER_LOOKUP)) {
    const found = await sql<{ entries: Uint8Array }>`
      select entries from index_buckets where bucket in (${integers(dialect, batch)})`.execute(db);
    for (const row of found.rows) forEachPair(row.entries, each);
  }
}

/** Many integers as one JSON parameter, read back as a one-column table. */
export function integers(dialect: StoreDialect, values: readonly number[]): RawBuilder<unknown> {
  const json = JSON.stringify(values);
  return dialect === 'postgres'
    ? sql`select value::bigint from json_array_elements_text(${json}::json)`
    : sql`select value from json_each(${json})`;
}

/** Many strings as one JSON parameter, read back as a one-column table. */
export function texts(dialect: StoreDialect, values: readonly string[]): RawBuilder<unknown> {
  const json = JSON.stringify(values);
  return dialect === 'postgres'
    ? sql`select value from json_array_elements_text(${json}::json)`
    : sql`select value from json_each(${json})`;
}

const byNumber = (a: number, b: number) => a - b;
