import { type RawBuilder, sql } from 'kysely';
import { keyHash } from '../key-hash.js';
import type { StoreDialect } from '../migrations.js';
import type { CandidateEntry } from '../state-store.js';
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

type Profiles = Readonly<Record<string, unknown>>;

/**
 * For each key set, the indexed contacts sharing a key with it, each once with the keys it
 * shares: the keys are hashed, `lookUp` reads what is filed under the hashes (here, or on a
 * thread of the index's own).
 */
export async function candidatesOfKeySets(
  keySets: readonly (readonly string[])[],
  lookUp: (hashes: Float64Array) => Promise<HashLookup>,
): Promise<CandidateEntry[][]> {
  const hashOf = new Map<string, number>();
  for (const keys of keySets) for (const key of keys) if (!hashOf.has(key)) hashOf.set(key, keyHash(key));
  return candidatesOf(keySets, hashOf, await lookUp(Float64Array.from(hashOf.values())));
}

function candidatesOf(
  keySets: readonly (readonly string[])[],
  hashOf: ReadonlyMap<string, number>,
  { pairs, contacts }: HashLookup,
): CandidateEntry[][] {
  const holders = new Map<number, number[]>();
  for (let at = 0; at < pairs.length; at += 2) {
    const ordinals = holders.get(pairs[at]!);
    if (ordinals) ordinals.push(pairs[at + 1]!);
    else holders.set(pairs[at]!, [pairs[at + 1]!]);
  }
  const found = new Map<number, { crmId: string; profiles: Profiles }>();
  for (const [ordinal, crmId, profiles] of JSON.parse(contacts) as [number, string, Profiles][])
    found.set(ordinal, { crmId, profiles });
  return keySets.map((keys) => {
    // Each candidate is made once, with the keys it shares added as they are met.
    const shared = new Map<number, CandidateEntry>();
    for (const key of new Set(keys))
      for (const ordinal of holders.get(hashOf.get(key)!) ?? []) {
        const candidate = shared.get(ordinal);
        if (candidate) candidate.sharedKeys.push(key);
        else {
          const { crmId, profiles } = found.get(ordinal)!;
          shared.set(ordinal, { crmId, profiles, sharedKeys: [key] });
        }
      }
    return [...shared.values()];
  });
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
