import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { StateStoreConfig } from '../../../core/index.js';
import { ensurePostgres, postgresUrl } from '../../support/postgres.js';

export { postgresUrl };

/** Where the suite gets empty stores from, and a back door to tamper with one. */
export interface StoreFixture {
  /** The configuration of a new, empty store of this kind. */
  fresh(): Promise<StateStoreConfig>;
  /** Runs SQL on the store's database directly, as another program might. */
  execute(config: StateStoreConfig, statement: string): Promise<void>;
  cleanup(): Promise<void>;
}

export function sqliteFixture(): StoreFixture {
  const folder = mkdtempSync(join(tmpdir(), 'crmsync-store-'));
  let stores = 0;
  return {
    fresh: async () => ({ kind: 'sqlite', file: join(folder, `store-${++stores}.db`) }),
    execute: async (config, statement) => {
      if (config.kind !== 'sqlite') throw new Error('not a SQLite store');
      const database = new Database(config.file);
      try {
        database.exec(statement);
      } finally {
        database.close();
      }
    },
    cleanup: async () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** Each store in a schema of its own, named after this process, all dropped at the end. */
export async function postgresFixture(): Promise<StoreFixture> {
  await ensurePostgres();
  const schemas: string[] = [];
  const run = async (schema: string | undefined, statement: string) => {
    const client = new pg.Client({
      connectionString: postgresUrl,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  return {
    fresh: async () => {
      const schema = `crmsync_test_${process.pid}_${schemas.length + 1}`;
      schemas.push(schema);
      return { kind: 'postgres', url: postgresUrl, schema };
    },
    execute: async (config, statement) => {
      if (config.kind !== 'postgres') throw new Error('not a PostgreSQL store');
      await run(config.schema, statement);
    },
    cleanup: async () => {
      for (const schema of schemas) await run(undefined, `drop schema if exists ${schema} cascade`);
    },
  };
}
