import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type RunningHost, startHost } from '../../host/boot.js';
import { sessionCookieOf } from '../../test/api/support/api-client.js';
import { configFolder } from '../../test/host/support/config-folder.js';
import { send } from '../../test/host/support/send.js';
import type { LoadOrder } from '../api/load.js';
import { figure, figureOfRounds, quick } from '../support/report.js';

// What access control costs: a sign-in (scrypt), and a read signed in by a bearer token or the
// session cookie against the same read on an open host. Two hosts in this process (one
// without users, one with), the load generator in another; rounds alternate between them.
const rounds = quick ? 3 : 5;
const readMs = quick ? 3_000 : 8_000;
const clients = 20;
const signIns = quick ? 5 : 20;
const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const password = 'bench-correct-horse-battery';

async function load(order: LoadOrder): Promise<{ latencies: number[]; seconds: number }> {
  const { stdout } = await run(
    process.execPath,
    [join(here, '..', 'api', 'load.js'), JSON.stringify(order)],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout);
}
const percentile = (values: number[], share: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
};

const hostConfig = {
  host: { port: 0, logLevel: 'warn', rateLimits: { signInPerMinute: 100_000 } },
  embedded: { referenceCrm: { enabled: false } },
};
const folders = [configFolder().host(hostConfig), configFolder().host(hostConfig)];
const hosts: RunningHost[] = [];
try {
  for (const folder of folders)
    hosts.push(await startHost({ configDir: folder.dir, env: {}, logger: false }));
  const [open, guarded] = hosts as [RunningHost, RunningHost];
  const { access } = guarded.runtime.services;
  const admin = await access.createUser({ login: 'bench', password, role: 'admin' });
  const { token } = await access.createToken({ name: 'bench', userId: admin.id });
  // The guarded host has a user now; it believes so within a second.
  await new Promise((resolve) => setTimeout(resolve, 1_100));

  const signInLatencies: number[] = [];
  const signInRounds: number[] = [];
  let cookie = '';
  const reads: Record<'open' | 'token' | 'session', number[]> = { open: [], token: [], session: [] };
  const read = (host: RunningHost, headers: Record<string, string>) =>
    load({
      url: host.url,
      method: 'GET',
      paths: ['/api/v1/sync-runs?limit=1'],
      headers,
      concurrency: clients,
      durationMs: readMs,
    });
  for (let round = 0; round < rounds; round++) {
    const latencies: number[] = [];
    for (let n = 0; n < signIns; n++) {
      const started = performance.now();
      const answer = await send(`${guarded.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'bench', password }),
      });
      latencies.push(performance.now() - started);
      if (answer.status !== 200) throw new Error(`sign-in answered ${answer.status}: ${answer.text}`);
      cookie = sessionCookieOf(answer);
    }
    signInLatencies.push(...latencies);
    signInRounds.push(percentile(latencies, 0.5));
    for (const [kind, host, headers] of [
      ['open', open, {}],
      ['token', guarded, { authorization: `Bearer ${token}` }],
      ['session', guarded, { cookie }],
    ] as const) {
      const result = await read(host, headers);
      reads[kind].push(result.latencies.length / result.seconds);
    }
  }
  figureOfRounds('access sign-in p50', signInRounds, 'ms');
  figure('access sign-in p99', percentile(signInLatencies, 0.99), 'ms');
  figureOfRounds(`access read rps open host (${clients} clients)`, reads.open, 'requests/s');
  figureOfRounds(`access read rps bearer token (${clients} clients)`, reads.token, 'requests/s');
  figureOfRounds(`access read rps session cookie (${clients} clients)`, reads.session, 'requests/s');
} finally {
  for (const host of hosts) await host.close();
  for (const folder of folders) folder.remove();
}
