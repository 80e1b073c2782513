import type { Kysely } from 'kysely';
import type { StoreDialect } from './migrations.js';
import type { StoreTables } from './schema.js';

export type StoreDb = Kysely<StoreTables>;

/** What a repository needs: the database (or the transaction) it acts in. */
export interface StoreContext {
  readonly db: StoreDb;
  readonly dialect: StoreDialect;
  /**
   * Runs several statements as one: in a transaction already, simply runs them there;
   * otherwise in a transaction of their own, so a half-done change is never seen.
   */
  atomically<T>(work: (db: StoreDb) => Promise<T>): Promise<T>;
  now(): number;
}

export function transactionContext(db: StoreDb, dialect: StoreDialect, now: () => number): StoreContext {
  return { db, dialect, atomically: (work) => work(db), now };
}

export function standaloneContext(db: StoreDb, dialect: StoreDialect, now: () => number): StoreContext {
  return { db, dialect, atomically: (work) => db.transaction().execute(work), now };
}

/**
 * Bound parameters per statement, under SQLite's limit of 32,766 and PostgreSQL's 65,535, so
 * a bulk insert or an `IN` list is cut into as few statements as the engines allow.
 */
export const MAX_PARAMETERS = 30_000;

export function* chunks<T>(values: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < values.length; start += size) yield values.slice(start, start + size);
}

/** Rows read per query when a stream pages through a table. */
export const PAGE_SIZE = 500;

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function fromJson<T>(text: string): T;
export function fromJson<T>(text: string | null): T | undefined;
export function fromJson<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

/** `undefined` as SQL NULL for an optional column. */
export function orNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}

export function orUndefined<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}
