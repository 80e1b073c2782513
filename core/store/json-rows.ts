import { type RawBuilder, sql } from 'kysely';
import type { StoreDialect } from './migrations.js';

/**
 * Many rows as one JSON parameter, read back as a table whose `value` column holds each row
 * (an array; `value ->> 0` is its first field, in both dialects). Bulk writes and bulk
 * lookups go through this rather than through long `VALUES` or `IN` lists: one parameter
 * however many rows, no statement to compile per row, and the JSON is parsed by the
 * database's own code.
 */
export function jsonRows(dialect: StoreDialect, rows: readonly (readonly unknown[])[]): RawBuilder<unknown> {
  const json = JSON.stringify(rows);
  return dialect === 'postgres' ? sql`json_array_elements(${json}::json)` : sql`json_each(${json})`;
}

/** Field `index` of each row as text. */
export function field(index: number): RawBuilder<string> {
  return sql<string>`value ->> ${sql.lit(index)}`;
}

/** Field `index` of each row, a JSON value, as JSON text (so it is not encoded twice). */
export function jsonField(dialect: StoreDialect, index: number): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`(value -> ${sql.lit(index)})::text`
    : sql<string>`value -> ${sql.lit(index)}`;
}
