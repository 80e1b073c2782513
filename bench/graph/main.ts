import { type Contact, emptyContact, type WriteOperation } from '../../core/index.js';
import { type GraphServer, type GraphServerOptions, startGraphServer } from '../../emulators/graph/index.js';
import type { RequestBudget } from '../../plugins/outlook-graph/src/mailbox-pacer.js';
import { OutlookGraphConnector } from '../../plugins/outlook-graph/src/outlook-graph-connector.js';
import { figure, figureOfRounds, quick } from '../support/report.js';

/**
 * The Outlook connector against the Graph emulator (in this process): what an export and a
 * sync cost in round trips and Graph requests, and how close it runs to Outlook's request
 * budget without being refused. Three rounds (one with BENCH_QUICK=1), median and range.
 *
 * Under throttling the connector has more to export than the budget allows for two whole
 * windows. No 60 s stretch may hold more than the budget, so two windows allow at most twice
 * the budget; the rate share is what was admitted in them divided by that.
 */
const exported = quick ? 1000 : 5000;
const rounds = quick ? 1 : 3;
/** The throttled mailbox's window: Outlook-like minutes, or ten seconds for a quick run. */
const throttledWindowMs = quick ? 10_000 : 60_000;
const throttledPerWindow = quick ? 100 : 600;
const throttledWindows = 2;
const mailbox = 'anna@contoso.example';
/** A tiny PNG: what matters here is how often photos are asked for, not their size. */
const photoBytes = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

function contactsToExport(count: number, round: number): Contact[] {
  return Array.from({ length: count }, (_, i) => ({
    ...emptyContact(),
    givenName: 'Erika',
    surname: `Muster${i}`,
    company: 'Beispiel GmbH',
    emails: [{ address: `erika.muster${i}@example.com`, type: 'work' as const }],
    phones: [{ number: `+49 30 ${1000 + i}`, type: 'business' as const }],
    ids: { crmId: `AP-${round}-${i}` },
  }));
}

function creates(contacts: Contact[]): WriteOperation[] {
  return contacts.map((contact, i) => ({ kind: 'create', key: `export-${i}`, contact }));
}

async function withEmulator<T>(
  options: GraphServerOptions,
  work: (server: GraphServer, store: OutlookGraphConnector) => Promise<T>,
  budget?: RequestBudget,
): Promise<T> {
  const server = await startGraphServer(options);
  const store = new OutlookGraphConnector({
    tenantId: server.app.tenantId,
    clientId: server.app.clientId,
    clientSecret: server.app.clientSecret,
    mailbox,
    contactFolder: 'CRM',
    graphBaseUrl: server.url,
    authorityHost: server.authorityHost,
    ca: server.ca,
    ...(budget ? { budget } : {}),
  });
  try {
    const health = await store.health();
    if (!health.ok) throw new Error(health.detail);
    server.resetStats();
    return await work(server, store);
  } finally {
    store.close();
    await server.close();
  }
}

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const list: T[] = [];
  for await (const item of items) list.push(item);
  return list;
}

function lastCursor(items: unknown[]): string {
  const checkpoints = (items as { ok: boolean; value: { type: string; cursor?: string } }[]).filter(
    (item) => item.ok && item.value.type === 'checkpoint',
  );
  return checkpoints.at(-1)!.value.cursor!;
}

/** The budget known to the connector (configured as set for the mailbox), or unknown with or without RateLimit headers. */
type Variant = 'known' | 'announced' | 'blind';

async function throttledRun(
  variant: Variant,
  round: number,
): Promise<{ rate: number; refused: number; refusedLater: number }> {
  const limits = { requestsPerWindow: throttledPerWindow, windowMs: throttledWindowMs };
  return withEmulator(
    { throttling: { ...limits, rateLimitHeaders: variant === 'announced' } },
    async (server, store) => {
      const firstWindowEnds = performance.now() + throttledWindowMs;
      const until = performance.now() + throttledWindows * throttledWindowMs;
      let admitted = 0;
      let sent = 0;
      let refused = 0;
      let refusedInFirstWindow: number | undefined;
      const demand = creates(contactsToExport(throttledPerWindow * (throttledWindows + 1), round));
      for await (const outcome of store.apply(demand)) {
        if (!outcome.ok) throw new Error(`a throttled create failed: ${outcome.problem.message}`);
        if (performance.now() >= until) break;
        if (refusedInFirstWindow === undefined && performance.now() >= firstWindowEnds)
          refusedInFirstWindow = server.stats.throttled;
        sent = server.stats.requests;
        refused = server.stats.throttled;
        admitted = sent - refused;
      }
      return {
        rate: admitted / (throttledPerWindow * throttledWindows),
        refused: (100 * refused) / sent,
        refusedLater: refused - (refusedInFirstWindow ?? refused),
      };
    },
    variant === 'known' ? limits : undefined,
  );
}

const roundTrips: number[] = [];
const requests: number[] = [];
const seconds: number[] = [];
const firstRound: number[] = [];
const listing: number[] = [];
const noChange: number[] = [];
const oneChange: number[] = [];
const shares: Record<Variant, { rate: number[]; refused: number[]; refusedLater: number[] }> = {
  known: { rate: [], refused: [], refusedLater: [] },
  announced: { rate: [], refused: [], refusedLater: [] },
  blind: { rate: [], refused: [], refusedLater: [] },
};
/** One contact in ten gets a photo in Outlook for the listing figure. */
const photoEvery = 10;

// The export and sync figures count requests; a budget this large keeps throttling out of
// them (reading 5,000 contacts with their photos after an export of 5,000 would otherwise
// spend Outlook's 10,000 requests per 10 minutes, and wait for them).
const unthrottled = { requestsPerWindow: 1_000_000, windowMs: 600_000 };

for (let round = 0; round < rounds; round++) {
  await withEmulator(
    { throttling: unthrottled },
    async (server, store) => {
      const started = performance.now();
      const outcomes = await drain(store.apply(creates(contactsToExport(exported, round))));
      seconds.push((performance.now() - started) / 1000);
      const failed = outcomes.filter((outcome) => !outcome.ok).length;
      if (failed > 0 || outcomes.length !== exported)
        throw new Error(`${failed} of ${exported} creates failed`);
      roundTrips.push(server.stats.roundTrips);
      requests.push(server.stats.requests);

      server.resetStats();
      let cursor = lastCursor(await drain(store.changesSince()));
      firstRound.push(server.stats.requests);
      server.resetStats();
      cursor = lastCursor(await drain(store.changesSince(cursor)));
      noChange.push(server.stats.requests);

      const [someone] = server.store.mailbox(mailbox).contacts.values();
      server.store.mailbox(mailbox).updateContact(someone!.id, { jobTitle: 'Einkauf' }, []);
      server.resetStats();
      await drain(store.changesSince(cursor));
      oneChange.push(server.stats.requests);

      const stored = [...server.store.mailbox(mailbox).contacts.values()];
      for (const [index, contact] of stored.entries())
        if (index % photoEvery === 0)
          server.store.mailbox(mailbox).setPhoto(contact.id, { bytes: photoBytes, mediaType: 'image/png' });
      server.resetStats();
      await drain(store.listContacts());
      listing.push(server.stats.requests);
    },
    unthrottled,
  );

  // A budget announced in headers runs once; one learned from the first refusal every round.
  const variants: Variant[] = round === 0 ? ['known', 'announced', 'blind'] : ['known', 'blind'];
  for (const variant of variants) {
    const share = await throttledRun(variant, round);
    shares[variant].rate.push(share.rate);
    shares[variant].refused.push(share.refused);
    shares[variant].refusedLater.push(share.refusedLater);
  }
}

figureOfRounds(`graph export ${exported} round trips`, roundTrips, '');
figureOfRounds(`graph export ${exported} requests`, requests, '');
figureOfRounds(`graph export ${exported} time`, seconds, 's');
figureOfRounds(`graph first change round ${exported} requests`, firstRound, '');
figureOfRounds(`graph listing ${exported} (${exported / photoEvery} with photos) requests`, listing, '');
figureOfRounds('graph no-change sync requests', noChange, '');
figureOfRounds('graph one-change sync requests', oneChange, '');
figureOfRounds(
  'graph throttled rate share',
  shares.known.rate,
  `(${throttledPerWindow} requests per ${throttledWindowMs / 1000} s per mailbox)`,
);
figureOfRounds('graph throttled 429 share', shares.known.refused, '%');
figureOfRounds('graph throttled, budget unknown, RateLimit headers: rate share', shares.announced.rate, '');
figureOfRounds(
  'graph throttled, budget unknown, RateLimit headers: 429 share',
  shares.announced.refused,
  '%',
);
figureOfRounds('graph throttled, budget unknown, no headers: rate share', shares.blind.rate, '');
figureOfRounds('graph throttled, budget unknown, no headers: 429 share', shares.blind.refused, '%');
figureOfRounds(
  'graph throttled, budget unknown, no headers: 429s after the first window',
  shares.blind.refusedLater,
  '',
);
figure('graph export goal round trips', (1.1 * exported) / 20, '(at most)');
