import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Dialect, SqliteDialect } from 'kysely';

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
  } catch (error) {
    database.close();
    throw error;
  }
  return new SqliteDialect({ database });
}
