import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile } from '../plugins/crm-rest/src/profile/profile.js';
import { repoRoot } from '../test/support/paths.js';
import { figure, peakRssMiB, quick } from './support/report.js';

/**
 * Streams every contact of the reference CRM through the crm-rest connector, and the same
 * pages through a bare fetch-and-parse loop. The CRM and each contender have a process of
 * their own, so that each peak RSS and CPU time is that contender's alone.
 *
 * A single timed pass of each, in fresh processes, measured mostly JIT warm-up and whichever
 * ran first against a cold server: the ratio wandered from 0.9 to 1.8 between machines and
 * sizes. So each contender process lives through the whole benchmark, is warmed up first, and
 * the two run in alternating rounds (ABBA order, so neither always meets the server warmer);
 * the figure is the median of the per-round ratios, with their range.
 */
const contacts = quick ? 10_000 : 100_000;
const pageSize = 1000;
const warmUps = quick ? 3 : 1;
const rounds = quick ? 15 : 7;
const self = fileURLToPath(import.meta.url);
const role = process.env.CRM_BENCH_ROLE;

interface RunResult {
  count: number;
  problems: number;
  ms: number;
  /** User + system CPU time of the contender process during the run. */
  cpuUs: number;
  peakRssMiB: number;
}

type Contender = 'connector' | 'bare';

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

// Each process loads only what its role needs, so the connector's peak RSS carries no server or faker.
async function connectorRun(url: string, apiKey: string): Promise<() => Promise<RunResult>> {
  const { CrmRestConnector } = await import('../plugins/crm-rest/src/index.js');
  const profile = JSON.parse(
    readFileSync(join(repoRoot, 'plugins', 'crm-rest', 'profiles', 'reference-crm.json'), 'utf8'),
  ) as Profile;
  profile.baseUrl = url;
  profile.auth = { type: 'apiKey', header: 'X-API-Key', key: apiKey };
  profile.paging.size = pageSize;
  const connector = new CrmRestConnector({ profile, profileFile: 'reference-crm.json' });
  return async () => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    let count = 0;
    let problems = 0;
    for await (const item of connector.searchContacts()) {
      if (item.ok) count += 1;
      else problems += 1;
    }
    return {
      count,
      problems,
      ms: performance.now() - started,
      cpuUs: cpuSince(cpu),
      peakRssMiB: peakRssMiB(),
    };
  };
}

type BarePage = { items: unknown[]; nextCursor: string | null };

function bareRun(url: string, apiKey: string): () => Promise<RunResult> {
  const fetchPage = async (cursor: string | null): Promise<BarePage> => {
    const query = cursor ? `&cursor=${cursor}` : '';
    const response = await fetch(`${url}/contacts?limit=${pageSize}${query}`, {
      headers: { 'x-api-key': apiKey },
    });
    return (await response.json()) as BarePage;
  };
  return async () => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    let count = 0;
    let pending: Promise<BarePage> | undefined = fetchPage(null);
    while (pending) {
      const page: BarePage = await pending;
      // Like the connector: the next page is on its way while this one is counted.
      pending = page.nextCursor ? fetchPage(page.nextCursor) : undefined;
      count += page.items.length;
    }
    return {
      count,
      problems: 0,
      ms: performance.now() - started,
      cpuUs: cpuSince(cpu),
      peakRssMiB: peakRssMiB(),
    };
  };
}

/** A child process of this file in another role; `ask` sends a message and waits for the answer. */
function spawn<T>(env: Record<string, string>): { child: ChildProcess; ask(message: unknown): Promise<T> } {
  const child = fork(self, [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let failed: Error | undefined;
  child.once('exit', (code) => {
    if (code) failed = new Error(`bench child ${env.CRM_BENCH_ROLE} exited with ${code}`);
  });
  const ask = (message: unknown) =>
    new Promise<T>((resolve, reject) => {
      if (failed) return reject(failed);
      const onExit = () => reject(failed ?? new Error(`bench child ${env.CRM_BENCH_ROLE} ended early`));
      child.once('exit', onExit);
      child.once('message', (answer: T) => {
        child.off('exit', onExit);
        resolve(answer);
      });
      child.send(message as object);
    });
  return { child, ask };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `name: median unit (range low–high)`: the figure line with the spread of the rounds. */
function figureWithRange(name: string, values: number[], unit: string): void {
  const format = (value: number) => value.toFixed(2);
  const low = Math.min(...values);
  const high = Math.max(...values);
  process.stdout.write(`${name}: ${format(median(values))} ${unit} (range ${format(low)}–${format(high)})\n`);
}

if (role === 'server') {
  const { startCrmServer } = await import('../emulators/crm/index.js');
  const started = performance.now();
  const server = await startCrmServer({ port: 0, seed: { partners: 500, contacts } });
  process.send!({ url: server.url, apiKey: server.apiKey, seedMs: performance.now() - started });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
} else if (role === 'connector' || role === 'bare') {
  const url = process.env.CRM_BENCH_URL!;
  const apiKey = process.env.CRM_BENCH_KEY!;
  const run = role === 'connector' ? await connectorRun(url, apiKey) : bareRun(url, apiKey);
  process.on('message', () => void run().then((result) => process.send!(result)));
  process.send!('ready');
} else {
  const server = spawn<{ url: string; apiKey: string; seedMs: number }>({ CRM_BENCH_ROLE: 'server' });
  const { url, apiKey, seedMs } = await new Promise<{ url: string; apiKey: string; seedMs: number }>(
    (resolve) => server.child.once('message', resolve),
  );
  figure(`reference CRM seed (${contacts} contacts)`, seedMs / 1000, 's');
  const env = { CRM_BENCH_URL: url, CRM_BENCH_KEY: apiKey };
  const contenders = {
    connector: spawn<RunResult>({ ...env, CRM_BENCH_ROLE: 'connector' }),
    bare: spawn<RunResult>({ ...env, CRM_BENCH_ROLE: 'bare' }),
  };
  await Promise.all(
    Object.values(contenders).map(
      (contender) => new Promise((resolve) => contender.child.once('message', resolve)),
    ),
  );
  const run = async (kind: Contender): Promise<RunResult> => {
    const result = await contenders[kind].ask('run');
    if (result.count !== contacts || result.problems) {
      throw new Error(
        `${kind} run read ${result.count} contacts and ${result.problems} problems, expected ${contacts}`,
      );
    }
    return result;
  };
  for (let round = 0; round < warmUps; round++) {
    await run('bare');
    await run('connector');
  }
  const results: Record<Contender, RunResult[]> = { connector: [], bare: [] };
  for (let round = 0; round < rounds; round++) {
    const order: Contender[] = round % 2 === 0 ? ['bare', 'connector'] : ['connector', 'bare'];
    for (const kind of order) results[kind].push(await run(kind));
  }
  const rates = (kind: Contender) => results[kind].map((result) => (contacts / result.ms) * 1000);
  const cpu = (kind: Contender) => results[kind].map((result) => result.cpuUs / contacts);
  const ratios = (values: (kind: Contender) => number[]) => {
    const connector = values('connector');
    const bare = values('bare');
    return connector.map((value, index) => value / bare[index]!);
  };
  const times = (kind: Contender) => results[kind].map((result) => result.ms);
  figure('crm-rest connector', median(rates('connector')), 'contacts/s');
  figure('crm-rest bare http loop', median(rates('bare')), 'contacts/s');
  // Above 1 the connector takes longer than the bare loop over the same pages.
  figureWithRange('crm-rest time ratio', ratios(times), 'x');
  figure('crm-rest connector cpu', median(cpu('connector')), 'µs/contact');
  figure('crm-rest bare http loop cpu', median(cpu('bare')), 'µs/contact');
  figureWithRange('crm-rest cpu ratio', ratios(cpu), 'x');
  figure(
    'crm-rest connector peak RSS',
    Math.max(...results.connector.map((result) => result.peakRssMiB)),
    'MiB',
  );
  figure(
    'crm-rest bare http loop peak RSS',
    Math.max(...results.bare.map((result) => result.peakRssMiB)),
    'MiB',
  );
  figure('crm-rest rounds', rounds, `(after ${warmUps} warm-up)`);
  for (const contender of [...Object.values(contenders), server]) contender.child.disconnect();
}
