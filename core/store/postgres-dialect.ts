import { type Dialect, PostgresDialect } from 'kysely';
import pg from 'pg';

export interface PostgresStoreOptions {
  url: string;
  /** The schema the store's tables live in (the server's default search path when absent). */
  schema?: string;
  poolSize: number;
}

const INT8 = 20;

/**
 * A pool on the server; it connects lazily, so the first query tells whether the server
 * answers. 64-bit integers (our epoch-millisecond times and counts) come back as numbers,
 * not strings, for this pool only: other users of `pg` in the process are not affected.
 */
export function openPostgresDialect({ url, schema, poolSize }: PostgresStoreOptions): Dialect {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 10_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 && format !== 'binary'
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not end the process; the next query reports it.
  pool.on('error', () => {});
  return new PostgresDialect({ pool });
}
