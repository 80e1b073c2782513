import { CompiledQuery } from 'kysely';
import type { StoreDialect } from '../migrations.js';
import { MAX_PARAMETERS, type StoreDb } from '../store-context.js';

export type Row = readonly unknown[];

/** The columns of `index_contacts`, in the order a contact's row gives its values. */
export const contactColumns = ['ordinal', 'crm_id', 'key_hashes', 'contact', 'profiles'] as const;
export const bucketColumns = ['bucket', 'entries'] as const;

export interface IndexState {
  cursor?: string;
  rulesFingerprint?: string;
}

/**
 * Writes rows as multi-row `VALUES`, as many per statement as the parameter limit allows:
 * bound values reach the table as they are, where a JSON parameter would be parsed and
 * re-encoded by the database first. The statement is written here rather than by the query
 * builder, whose object per value would cost more than the insert itself; table, columns
 * and conflict clause are the candidate index's constants, never input.
 */
export class RowWriter {
  private readonly placeholderTexts = new Map<string, string>();

  constructor(private readonly dialect: StoreDialect) {}

  async insert(
    db: StoreDb,
    table: string,
    columns: readonly string[],
    rows: Iterable<Row>,
    onConflict: string,
  ): Promise<void> {
    const rowsPerStatement = Math.floor(MAX_PARAMETERS / columns.length);
    const insert = async (batch: readonly Row[]) => {
      const text = `insert into ${table} (${columns.join(', ')}) values ${this.placeholders(batch.length, columns.length)} ${onConflict}`;
      await db.executeQuery(CompiledQuery.raw(text, batch.flat()));
    };
    let batch: Row[] = [];
    for (const row of rows) {
      batch.push(row);
      if (batch.length === rowsPerStatement) {
        await insert(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await insert(batch);
  }

  /** `(?, ?), (?, ?)` in SQLite, `($1, $2), ($3, $4)` in PostgreSQL; the full-size list is kept. */
  private placeholders(rows: number, columns: number): string {
    const key = `${rows}x${columns}`;
    let text = this.placeholderTexts.get(key);
    if (text === undefined) {
      const postgres = this.dialect === 'postgres';
      const row = (at: number) =>
        `(${Array.from({ length: columns }, (_, column) => (postgres ? `$${at * columns + column + 1}` : '?')).join(', ')})`;
      text = Array.from({ length: rows }, (_, at) => row(at)).join(', ');
      if (this.placeholderTexts.size > 16) this.placeholderTexts.clear();
      this.placeholderTexts.set(key, text);
    }
    return text;
  }
}

/** The unique index of contacts by CRM id, as the migrations make it. */
export function crmIdIndex(db: StoreDb) {
  return db.schema.createIndex('index_contacts_by_crm_id').unique().on('index_contacts').column('crm_id');
}

/** Writes the fields given; a field left out keeps its value. */
export async function writeIndexState(db: StoreDb, state: IndexState): Promise<void> {
  const change: { cursor?: string; rules_fingerprint?: string } = {};
  if (state.cursor !== undefined) change.cursor = state.cursor;
  if (state.rulesFingerprint !== undefined) change.rules_fingerprint = state.rulesFingerprint;
  if (Object.keys(change).length === 0) return;
  await db
    .insertInto('index_state')
    .values({ id: 1, cursor: null, rules_fingerprint: null, ...change })
    .onConflict((conflict) => conflict.column('id').doUpdateSet(change))
    .execute();
}
