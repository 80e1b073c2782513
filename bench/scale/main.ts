import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { pino } from 'pino';
import { loadHostConfig, openStateStore } from '../../core/index.js';
import { startCrmServer } from '../../emulators/crm/index.js';
import { scheduledSyncKind } from '../../host/jobs/job-handlers.js';
import type { StoredJob } from '../../host/jobs/job-records.js';
import { PgBossQueue } from '../../host/jobs/pg-boss-queue.js';
import { keyOf } from '../../host/jobs/queue-worker.js';
import { type CrmsyncProcess, startCrmsyncProcess } from '../../test/support/host-process.js';
import { repoRoot } from '../../test/support/paths.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { figure, quick } from '../support/report.js';

// Many groupware accounts synced by 1, 2 and 4 `crmsync worker` processes sharing one
// PostgreSQL store and queue: each account one of the vcard-file connector's configured
// folders, which a full sync fills with every CRM contact whose sync flag is on (the reference
// CRM, in this process, over HTTP). Each round starts from an empty database and empty
// folders with its workers already waiting; the time runs from queueing each account's sync,
// as the schedule queues it, until the last has ended. CPU is read from /proc for the
// workers and for the database's backends; this process's CPU is the reference CRM's.
const accounts = quick ? 4 : 20;
const contacts = quick ? 100 : 1_000;
const workerCounts = [1, 2, 4];
const crmsync = join(repoRoot, 'dist', 'host', 'cli', 'crmsync.js');
const ticksPerSecond = 100;

const crm = await startCrmServer({ port: 0, seed: false });
const root = mkdtempSync(join(tmpdir(), 'crmsync-scale-'));
try {
  seedCrm();
  process.stdout.write(
    `scale: ${accounts} accounts × ${contacts} contacts, load average ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')} at the start, ${availableParallelism()} cores\n`,
  );
  const times = new Map<number, number>();
  for (const workers of workerCounts) times.set(workers, await round(workers));
  const single = times.get(1)!;
  for (const workers of workerCounts.slice(1))
    figure(`scale speed-up ${workers} workers`, single / times.get(workers)!, '×');
  process.stdout.write(
    `scale: load average ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')} at the end\n`,
  );
} finally {
  await crm.close();
  rmSync(root, { recursive: true, force: true });
}

function seedCrm(): void {
  const now = '2026-01-02T08:00:00.000Z';
  crm.store.insertPartners([
    { id: 'GP-0001', name: 'Kaiser KG', emailDomains: ['kaiser.de'], updatedAt: now },
  ]);
  for (let at = 0; at < contacts; at++)
    crm.store.createContact(
      {
        partnerId: 'GP-0001',
        firstName: ['Anna', 'Ben', 'Clara', 'Dirk', 'Eva'][at % 5],
        lastName: `Kunde${at}`,
        jobTitle: 'Einkauf',
        emails: [{ address: `kunde${at}@kaiser.de`, kind: 'work' }],
        phones: { business: `0221 ${100000 + at}`, mobile: `0171 ${2000000 + at}` },
        address: { street: `Hohe Straße ${at}`, postalCode: '50667', city: 'Köln', country: 'DE' },
        groupwareSync: true,
      },
      now,
      'Kaiser KG',
    );
}

/** A configuration of the round's own: the vcard-file connector with one folder per account. */
function writeConfiguration(folders: readonly string[], round: string): string {
  const configDir = join(root, round, 'config');
  mkdirSync(join(configDir, 'plugins'), { recursive: true });
  writeFileSync(
    join(configDir, 'crmsync.json'),
    JSON.stringify({
      host: { port: 0, logLevel: 'warn' },
      dataDir: '../data',
      store: { kind: 'postgres', postgresUrl: '${env:CRMSYNC_POSTGRES_URL}' },
      jobs: { pollingSeconds: 0.5, concurrency: 1 },
      connectors: { crm: 'crm-rest', groupware: 'vcard-file', fallback: 'vcard-file' },
      embedded: { referenceCrm: { enabled: false } },
    }),
  );
  copyFileSync(
    join(repoRoot, 'config', 'plugins', 'crm-rest.json'),
    join(configDir, 'plugins', 'crm-rest.json'),
  );
  writeFileSync(
    join(configDir, 'plugins', 'vcard-file.json'),
    JSON.stringify({ folder: folders[0], folders: folders.slice(1) }),
  );
  return configDir;
}

async function round(workerCount: number): Promise<number> {
  const roundName = `workers-${workerCount}`;
  const folders = Array.from({ length: accounts }, (_, at) => {
    const folder = join(root, roundName, `account-${String(at + 1).padStart(2, '0')}`);
    mkdirSync(folder, { recursive: true });
    return folder;
  });
  const configDir = writeConfiguration(folders, roundName);
  const database = await createTestDatabase();
  const env = {
    CRMSYNC_POSTGRES_URL: database.url,
    CRMSYNC_REFERENCE_CRM_URL: crm.origin,
    CRM_API_KEY: crm.apiKey,
  };
  const { config } = loadHostConfig(configDir, env);
  // The store's schema and the queue's are made here first, so no worker waits on another making them.
  const store = await openStateStore({ kind: 'postgres', url: database.url });
  const queue = await PgBossQueue.open(database.url, config.jobs, pino({ level: 'warn' }));
  const workers: CrmsyncProcess[] = [];
  try {
    workers.push(
      ...(await Promise.all(
        Array.from({ length: workerCount }, () =>
          startCrmsyncProcess(
            [crmsync, 'worker', '--config', configDir],
            env,
            /crmsync worker is running as/,
            120_000,
          ),
        ),
      )),
    );
    const backendsBefore = await backendCpu(database.url);
    const commitsBefore = await commits(database.url);
    const workersBefore = workers.map((worker) => processCpu(worker.child.pid!));
    const crmBefore = process.cpuUsage();
    const started = performance.now();
    const ids: string[] = [];
    for (const folder of folders) {
      const job = { kind: scheduledSyncKind, accountId: `vcard-file:${folder}`, options: { slot: 0 } };
      const id = await queue.send(job, { singletonKey: keyOf(job) });
      if (!id) throw new Error(`the sync of ${folder} was not queued`);
      ids.push(id);
    }
    // One light query every half second: the waiting must not cost the database what it measures.
    for (;;) {
      const states = await jobStates(database.url, config.jobs.queueSchema, ids);
      if (states.failed) throw new Error(`a sync failed: ${JSON.stringify(states)}`);
      if (states.completed === ids.length) break;
      await sleep(500);
    }
    const seconds = (performance.now() - started) / 1000;
    const crmUsage = process.cpuUsage(crmBefore);
    const workerCpu = workers.reduce(
      (sum, worker, at) => sum + processCpu(worker.child.pid!) - workersBefore[at]!,
      0,
    );
    const databaseCpu = spentSince(backendsBefore, await backendCpu(database.url)) / ticksPerSecond;
    const committed = (await commits(database.url)) - commitsBefore;

    for (const folder of folders) {
      const cards = readdirSync(folder).filter((name) => name.endsWith('.vcf')).length;
      if (cards !== contacts) throw new Error(`${folder} holds ${cards} cards, not ${contacts}`);
    }
    let jobSeconds = 0;
    for (const plan of await store.plans.list({ kind: 'sync', limit: accounts * 2 })) {
      const job = plan.summary.job as StoredJob | undefined;
      if (job?.startedAt && job.finishedAt) jobSeconds += (job.finishedAt - job.startedAt) / 1000;
    }
    const name = `scale workers ${workerCount}`;
    const cpuSeconds = workerCpu / ticksPerSecond;
    const crmSeconds = (crmUsage.user + crmUsage.system) / 1e6;
    figure(`${name} time`, seconds, 's');
    figure(`${name} contacts per second`, (accounts * contacts) / seconds, 'contacts/s');
    figure(`${name} worker cpu`, cpuSeconds, 's');
    figure(`${name} database cpu`, databaseCpu, 's');
    // Every statement outside a transaction is one; each that writes waits for the server to
    // flush its log to disk (some 5 ms on this machine), which is most of the jobs' waiting.
    figure(`${name} database transactions per contact`, committed / (accounts * contacts), 'transactions');
    figure(`${name} reference crm cpu`, crmSeconds, 's');
    figure(`${name} job time`, jobSeconds, 's');
    figure(`${name} jobs waiting`, Math.max(0, jobSeconds - cpuSeconds), 's');
    figure(
      `${name} cores busy`,
      (100 * (cpuSeconds + databaseCpu + crmSeconds)) / (seconds * availableParallelism()),
      '%',
    );
    return seconds;
  } finally {
    await Promise.all(workers.map((worker) => worker.stop('SIGTERM')));
    await queue.close();
    await store.close();
    await database.drop();
  }
}

/** User and system CPU of a process so far, in clock ticks (from /proc). */
function processCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** CPU so far of the database server's processes working for this database, in clock ticks by process. */
async function backendCpu(url: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return new Map(rows.map(({ pid }) => [pid, processCpu(pid)]));
  } finally {
    await client.end();
  }
}

/** How many of the jobs are in each state. */
async function jobStates(url: string, schema: string, ids: string[]): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ state: string; jobs: string }>(
      `select state, count(*) as jobs from ${schema}.job where id = any($1::uuid[]) group by state`,
      [ids],
    );
    return Object.fromEntries(rows.map(({ state, jobs }) => [state, Number(jobs)]));
  } finally {
    await client.end();
  }
}

/** Transactions the database committed so far, reads included (and the queue's polling). */
async function commits(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ commits: string }>(
      'select xact_commit as commits from pg_stat_database where datname = current_database()',
    );
    return Number(rows[0]!.commits);
  } finally {
    await client.end();
  }
}

/** What the backends spent since `before`; one that was not there before counts whole. */
function spentSince(before: Map<number, number>, now: Map<number, number>): number {
  let spent = 0;
  for (const [pid, ticks] of now) spent += ticks - (before.get(pid) ?? 0);
  return spent;
}
