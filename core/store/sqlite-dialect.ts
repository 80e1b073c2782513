import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

export interface SqliteStoreOptions {
  file: string;
  /** How long a statement waits for another process's lock before failing as busy. */
  busyTimeoutMs: number;
}

/** Opens the file now, so a missing folder, a locked or a foreign file is reported at once. */
export function openSqliteDialect({ file, busyTimeoutMs }: SqliteStoreOptions): Dialect {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new Database(file, { timeout: busyTimeoutMs });
  try {
    // WAL lets readers in other processes go on while one writes; NORMAL sync is safe with it.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma('cache_size = -65536');
  } catch (error) {
    database.close();
    throw error;
  }
  keepWriteStatements(database);
  return new ImmediateSqliteDialect({ database });
}

/** Write statements kept prepared, by their text. */
const keptStatements = 64;

/**
 * Keeps the statements that write prepared for the next time the same text comes: a bulk
 * insert of thousands of rows is compiled once instead of once per batch. Only writes are
 * kept: a write runs to its end at once, whereas a read may still be iterated by a stream
 * when the same text is asked for again.
 */
function keepWriteStatements(database: Database.Database): void {
  const prepare = database.prepare.bind(database);
  const kept = new Map<string, Database.Statement>();
  database.prepare = ((source: string) => {
    const statement = kept.get(source);
    if (statement) return statement;
    const prepared = prepare(source);
    if (!prepared.reader) {
      if (kept.size >= keptStatements) kept.delete(kept.keys().next().value!);
      kept.set(source, prepared);
    }
    return prepared;
  }) as typeof database.prepare;
}

/**
 * Transactions take the write lock when they begin (`BEGIN IMMEDIATE`), waiting for it as long
 * as the busy timeout allows. A deferred transaction that reads first and writes later would
 * instead fail at once whenever another process wrote in between.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
