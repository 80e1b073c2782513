import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import pg from 'pg';

export const postgresUrl = 'postgres://root@127.0.0.1:5432/test';

async function postgresAnswers(): Promise<unknown> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The PostgreSQL tests need the local server: it is started when it is down, and the suite
 * fails (never skips) when it still does not answer.
 */
export async function ensurePostgres(): Promise<void> {
  if ((await postgresAnswers()) === undefined) return;
  for (const version of readdirSync('/etc/postgresql'))
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
      stdio: 'ignore',
    });
  let failure: unknown;
  for (let attempt = 0; attempt < 30; attempt++) {
    failure = await postgresAnswers();
    if (failure === undefined) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`PostgreSQL at ${postgresUrl} does not answer even after starting it: ${failure}`);
}

let databases = 0;

/**
 * A database of its own for a test, on the local server (started when down), and a way to
 * drop it with everything in it: the state store's tables and the job queue's schema.
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  await ensurePostgres();
  const name = `crmsync_test_${process.pid}_${++databases}`;
  await onServer(`create database ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  // The local server trusts its clients and never asks for it: a password that must not show anywhere.
  url.password = `never-shown-${process.pid}`;
  return {
    url: url.toString(),
    // Connections still open (a killed worker's, say) would keep the database alive: cut them first.
    drop: () => onServer(`drop database if exists ${name} with (force)`),
  };
}

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
