import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile } from '../plugins/crm-rest/src/profile/profile.js';
import { repoRoot } from '../test/support/paths.js';
import { figure, peakRssMiB, quick } from './support/report.js';

/**
 * Streams every contact of the reference CRM through the crm-rest connector, and the same
 * pages through a bare fetch-and-parse loop. The CRM, the connector run and the bare run each
 * have a process of their own, so that each peak RSS and CPU time is that run's alone.
 *
 * Both runs ask for the next page before working through the current one, but the server is
 * usually the bottleneck, so the wall-clock ratio stays near 1 even when mapping costs a lot:
 * the CPU time per contact of each client process is the figure that shows what the mapping costs.
 */
const contacts = quick ? 10_000 : 100_000;
const pageSize = 1000;
const rounds = 2;
const self = fileURLToPath(import.meta.url);
const role = process.env.CRM_BENCH_ROLE;

interface RunResult {
  count: number;
  problems: number;
  ms: number;
  /** User + system CPU time of the client process during the run. */
  cpuUs: number;
  peakRssMiB: number;
}

function reply(message: unknown): void {
  process.send!(message);
}

// Each process loads only what its role needs, so the connector's peak RSS carries no server or faker.
async function runConnector(url: string, apiKey: string): Promise<RunResult> {
  const { CrmRestConnector } = await import('../plugins/crm-rest/src/index.js');
  const profile = JSON.parse(
    readFileSync(join(repoRoot, 'plugins', 'crm-rest', 'profiles', 'reference-crm.json'), 'utf8'),
  ) as Profile;
  profile.baseUrl = url;
  profile.auth = { type: 'apiKey', header: 'X-API-Key', key: apiKey };
  profile.paging.size = pageSize;
  const connector = new CrmRestConnector({ profile, profileFile: 'reference-crm.json' });
  const cpu = process.cpuUsage();
  const started = performance.now();
  let count = 0;
  let problems = 0;
  for await (const item of connector.searchContacts()) {
    if (item.ok) count += 1;
    else problems += 1;
  }
  return { count, problems, ms: performance.now() - started, cpuUs: cpuSince(cpu), peakRssMiB: peakRssMiB() };
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

type BarePage = { items: unknown[]; nextCursor: string | null };

async function runBareLoop(url: string, apiKey: string): Promise<RunResult> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const fetchPage = async (cursor: string | null): Promise<BarePage> => {
    const query = cursor ? `&cursor=${cursor}` : '';
    const response = await fetch(`${url}/contacts?limit=${pageSize}${query}`, {
      headers: { 'x-api-key': apiKey },
    });
    return (await response.json()) as BarePage;
  };
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
}

function child<T>(env: Record<string, string>, onMessage?: (message: T) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const process_ = fork(self, [], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    process_.once('message', (message: T) => {
      onMessage?.(message);
      resolve(message);
    });
    process_.once('exit', (code) => {
      if (code) reject(new Error(`bench child ${env.CRM_BENCH_ROLE} exited with ${code}`));
    });
    if (env.CRM_BENCH_ROLE === 'server') serverProcess = process_;
  });
}

let serverProcess: ReturnType<typeof fork> | undefined;

if (role === 'server') {
  const { startCrmServer } = await import('../emulators/crm/index.js');
  const started = performance.now();
  const server = await startCrmServer({ port: 0, seed: { partners: 500, contacts } });
  reply({ url: server.url, apiKey: server.apiKey, seedMs: performance.now() - started });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
} else if (role === 'connector' || role === 'bare') {
  const url = process.env.CRM_BENCH_URL!;
  const apiKey = process.env.CRM_BENCH_KEY!;
  reply(role === 'connector' ? await runConnector(url, apiKey) : await runBareLoop(url, apiKey));
  process.disconnect();
} else {
  const server = await child<{ url: string; apiKey: string; seedMs: number }>({ CRM_BENCH_ROLE: 'server' });
  figure(`reference CRM seed (${contacts} contacts)`, server.seedMs / 1000, 's');
  const env = { CRM_BENCH_URL: server.url, CRM_BENCH_KEY: server.apiKey };
  const best: Record<'connector' | 'bare', RunResult | undefined> = { connector: undefined, bare: undefined };
  for (let round = 0; round < rounds; round++) {
    for (const kind of ['bare', 'connector'] as const) {
      const result = await child<RunResult>({ ...env, CRM_BENCH_ROLE: kind });
      if (result.count !== contacts || result.problems) {
        throw new Error(
          `${kind} run read ${result.count} contacts and ${result.problems} problems, expected ${contacts}`,
        );
      }
      if (!best[kind] || result.ms < best[kind]!.ms) best[kind] = result;
    }
  }
  const connectorRate = (contacts / best.connector!.ms) * 1000;
  const bareRate = (contacts / best.bare!.ms) * 1000;
  figure('crm-rest connector', connectorRate, 'contacts/s');
  figure('crm-rest bare http loop', bareRate, 'contacts/s');
  figure('crm-rest connector overhead ratio', bareRate / connectorRate, 'x');
  const connectorCpu = best.connector!.cpuUs / contacts;
  const bareCpu = best.bare!.cpuUs / contacts;
  figure('crm-rest connector cpu', connectorCpu, 'µs/contact');
  figure('crm-rest bare http loop cpu', bareCpu, 'µs/contact');
  figure('crm-rest connector cpu overhead ratio', connectorCpu / bareCpu, 'x');
  figure('crm-rest connector peak RSS', best.connector!.peakRssMiB, 'MiB');
  figure('crm-rest bare http loop peak RSS', best.bare!.peakRssMiB, 'MiB');
  serverProcess?.disconnect();
}
