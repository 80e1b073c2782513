import { resolve } from 'node:path';
import { type Dialect, Kysely, Migrator, sql } from 'kysely';
import { CrmsyncError } from '../domain/errors.js';
import type { ProblemLocation } from '../domain/problem.js';
import type { HostConfig } from '../kernel/config/host-config.js';
import { mapDriverErrors } from './error-mapping-dialect.js';
import {
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  migrationProvider,
  type StoreDialect,
  storeMigrations,
} from './migrations.js';
import type { StoreTables } from './schema.js';
import { SqlStateStore } from './sql-state-store.js';
import { SqliteIndexThreads } from './sqlite-index-threads.js';
import type { StateStore } from './state-store.js';
import { asStoreError } from './store-errors.js';

export type StateStoreConfig =
  | {
      kind: 'sqlite';
      /** The database file; its folder is created when missing. `:memory:` keeps nothing. */
      file: string;
      /** How long to wait for another process's write lock; 5 s when absent. */
      busyTimeoutMs?: number;
    }
  | {
      kind: 'postgres';
      url: string;
      /** A schema of its own for the store's tables, created when missing. */
      schema?: string;
      /** Connections at most; 10 when absent. */
      poolSize?: number;
    };

/** The store the host's configuration names: the SQLite file lives in the data folder. */
export function stateStoreConfigOf(config: Pick<HostConfig, 'dataDir' | 'store'>): StateStoreConfig {
  if (config.store.kind === 'sqlite')
    return { kind: 'sqlite', file: resolve(config.dataDir, config.store.sqliteFile) };
  if (!config.store.postgresUrl)
    throw new CrmsyncError('CRMSYNC_ERR_CONFIG_INVALID', 'a PostgreSQL state store needs store.postgresUrl', {
      pointer: '/store/postgresUrl',
    });
  return { kind: 'postgres', url: config.store.postgresUrl };
}

/**
 * Opens the state store and brings its schema up to date. A store that cannot be reached or
 * read, stays locked, or was written by a newer crmsync is refused with an error that says
 * which store and why, before anything is written to it.
 */
export async function openStateStore(config: StateStoreConfig): Promise<StateStore> {
  const where = locationOf(config);
  const asError = (error: unknown) => asStoreError(error, where);
  const busyTimeoutMs = config.kind === 'sqlite' ? (config.busyTimeoutMs ?? 5_000) : 0;
  let dialect: Dialect;
  try {
    // Each driver loads only when its dialect is used: a SQLite host never loads `pg`.
    if (config.kind === 'sqlite') {
      const { openSqliteDialect } = await import('./sqlite-dialect.js');
      dialect = openSqliteDialect({ file: config.file, busyTimeoutMs });
    } else {
      const { openPostgresDialect } = await import('./postgres-dialect.js');
      dialect = openPostgresDialect({
        url: config.url,
        schema: checkedSchema(config.schema),
        poolSize: config.poolSize ?? 10,
      });
    }
  } catch (error) {
    throw asError(error);
  }
  const db = new Kysely<StoreTables>({ dialect: mapDriverErrors(dialect, asError) });
  try {
    if (config.kind === 'postgres' && config.schema)
      await sql`create schema if not exists ${sql.id(config.schema)}`.execute(db);
    await migrate(db, config.kind, where);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw asError(error);
  }
  // A file (not `:memory:`) can be opened a second time, by the candidate index's threads.
  const indexThreads =
    config.kind === 'sqlite' && config.file !== ':memory:'
      ? new SqliteIndexThreads({ file: config.file, busyTimeoutMs }, asError)
      : undefined;
  return new SqlStateStore(db, config.kind, Date.now, indexThreads);
}

async function migrate(
  db: Kysely<StoreTables>,
  dialect: StoreDialect,
  where: ProblemLocation,
): Promise<void> {
  const known = Object.keys(storeMigrations(dialect));
  const applied = await appliedMigrations(db);
  const unknown = applied.filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new CrmsyncError(
      'CRMSYNC_ERR_STORE_NEWER_SCHEMA',
      `the state store has schema changes this crmsync does not know (${unknown.join(', ')}): ` +
        'run a newer crmsync or point this one at another store',
      where,
    );
  // Up to date: no migration run, so opening never waits for another process's write lock.
  if (known.every((name) => applied.includes(name))) return;
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    // The migrator looks for its tables in every schema unless told which: another store
    // in the same database would make it believe this one's exist.
    ...(dialect === 'postgres' ? { migrationTableSchema: await currentSchema(db) } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  const mapped = asStoreError(error, where);
  if (mapped instanceof CrmsyncError) throw mapped;
  throw new CrmsyncError(
    'CRMSYNC_ERR_STORE_UNAVAILABLE',
    `the state store's schema could not be brought up to date${failed ? ` (migration ${failed})` : ''}: ${(error as Error)?.message ?? error}`,
    where,
    { cause: error },
  );
}

async function currentSchema(db: Kysely<StoreTables>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]!.schema;
}

/** Names of the migrations the store has run; none for a new, empty store. */
async function appliedMigrations(db: Kysely<StoreTables>): Promise<string[]> {
  try {
    const { rows } = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
    return rows.map((row) => row.name);
  } catch (error) {
    if (error instanceof CrmsyncError) throw error;
    return [];
  }
}

function checkedSchema(schema: string | undefined): string | undefined {
  if (schema === undefined || /^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) return schema;
  throw new CrmsyncError('CRMSYNC_ERR_CONFIG_INVALID', `${JSON.stringify(schema)} is not a schema name`, {
    field: 'schema',
  });
}

/** Where the store is, for error messages: never the password of a PostgreSQL URL. */
function locationOf(config: StateStoreConfig): ProblemLocation {
  if (config.kind === 'sqlite') return { file: config.file };
  try {
    const url = new URL(config.url);
    return { endpoint: `${url.protocol}//${url.host}${url.pathname}` };
  } catch {
    return { endpoint: 'postgresql' };
  }
}
