import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { seedDemoData } from '../../emulators/crm/index.js';
import { contactId } from '../../emulators/crm/store/crm-store.js';
import { ApiWorld } from '../../test/api/support/api-world.js';
import { figure, quick } from '../support/report.js';
import type { LoadOrder } from './load.js';

// The HTTP API under load, on loopback: the host (reference CRM, vCard folder, SQLite store)
// in this process, the load generator in another. Creating an import plan of 1,000 groupware
// contacts against a 100,000-contact CRM, paging a plan 100 items at a time, and the contact
// toggle's status read by 50 clients at once.
const crmContacts = quick ? 10_000 : 100_000;
const groupwareContacts = 1_000;
const importRounds = quick ? 5 : 20;
const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

async function load(order: LoadOrder): Promise<{ latencies: number[]; followed: number; seconds: number }> {
  const { stdout } = await run(process.execPath, [join(here, 'load.js'), JSON.stringify(order)], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

const percentile = (values: number[], share: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
};

const api = await ApiWorld.open();
try {
  seedDemoData(api.world.crmServer.store, {
    seed: 4711,
    partners: 500,
    contacts: crmContacts,
    photoEvery: 0,
  });
  // One card in ten is someone the CRM knows (by e-mail), so the dedupe rules have work to do.
  const known: string[] = [];
  for await (const fetched of (await api.world.crm()).searchContacts({})) {
    const email = fetched.ok ? fetched.value.emails[0]?.address : undefined;
    if (email) known.push(email);
    if (known.length >= groupwareContacts / 10) break;
  }
  for (let n = 0; n < groupwareContacts; n++) {
    const email = n % 10 === 0 ? known[n / 10]! : `kontakt${n}@firma-${n % 97}.example`;
    api.world.writeCard(
      `k${n}.vcf`,
      `N:Kontakt${n};Eva;;;`,
      `EMAIL;TYPE=WORK:${email}`,
      `ORG:Firma ${n % 97}`,
    );
  }
  const url = api.host.url;
  // As a client of a host on its defaults: a plan not built within a second is answered 202
  // and followed to its end, so each figure is the time until the plan can be read.
  const importPlan: LoadOrder = {
    url,
    method: 'POST',
    paths: ['/api/v1/import-plans'],
    body: '{}',
    headers: { prefer: 'wait=1' },
    followJobs: true,
    concurrency: 1,
    count: 1,
  };
  // The first plan builds the duplicate index over the whole CRM; it is not what a user waits for twice.
  await load(importPlan);
  const plans = await load({ ...importPlan, count: importRounds });
  figure(`api import plan ${groupwareContacts} p50`, percentile(plans.latencies, 0.5), 'ms');
  figure(`api import plan ${groupwareContacts} p99`, percentile(plans.latencies, 0.99), 'ms');
  figure(`api import plan ${groupwareContacts} answered 202`, plans.followed, 'plans');

  const created = (await api.call('POST', '/import-plans', {})).json();
  const pages = Array.from(
    { length: groupwareContacts / 100 },
    (_, page) => `/api/v1/plans/${created.plan.id}/items?offset=${page * 100}&limit=100`,
  );
  const paged = await load({ url, method: 'GET', paths: pages, concurrency: 4, count: quick ? 200 : 1_000 });
  figure('api plan page p99', percentile(paged.latencies, 0.99), 'ms');

  const statuses = Array.from(
    { length: 1_000 },
    (_, n) => `/api/v1/crm/contacts/${contactId(n * 7 + 1)}/sync`,
  );
  const status = await load({
    url,
    method: 'GET',
    paths: statuses,
    concurrency: 50,
    durationMs: quick ? 3_000 : 10_000,
  });
  figure('api contact status rps', status.latencies.length / status.seconds, 'requests/s');
  figure('api contact status p99', percentile(status.latencies, 0.99), 'ms');
} finally {
  await api.close();
}
