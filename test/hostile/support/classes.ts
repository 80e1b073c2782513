import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HostProcess, startHostProcess } from '../../support/host-process.js';
import {
  cardsOfSize,
  cardsWithPhotos,
  emptyContactsBody,
  formWithFile,
  nestedCards,
  sameNameContacts,
  tinyCards,
} from './inputs.js';
import { type Measured, measure } from './probe.js';

export type Size = 'small' | 'full';

/** One class of hostile input: how to send it at each size, and the statuses a bounded host may answer. */
export interface HostileClass {
  name: string;
  run(host: HostProcess, size: Size): Promise<Measured[]>;
  /** Statuses that mean the host coped; anything else (a 5xx above all) fails. */
  accepted: number[];
}

const vcard = { 'content-type': 'text/vcard' };
const json = { 'content-type': 'application/json' };
const pidOf = (host: HostProcess) => host.child.pid!;
const preview = (host: HostProcess, name: string, body: Parameters<typeof measure>[3]) =>
  measure(host.url, pidOf(host), `/api/v1/imports/preview?fileName=${name}`, body, vcard);

export const hostileClasses: HostileClass[] = [
  {
    name: 'nested-cards',
    accepted: [200, 400],
    run: async (host, size) => [
      await preview(host, 'nested.vcf', nestedCards(size === 'full' ? 20_000 : 500, 200)),
    ],
  },
  {
    name: 'same-name-export',
    accepted: [200],
    run: async (host, size) => [
      await measure(
        host.url,
        pidOf(host),
        '/api/v1/exports/vcard-outlook',
        sameNameContacts(size === 'full' ? 20_000 : 500),
        json,
      ),
    ],
  },
  {
    name: 'huge-export-body',
    accepted: [413],
    run: async (host, size) => [
      await measure(
        host.url,
        pidOf(host),
        '/api/v1/exports/vcard-single',
        emptyContactsBody(size === 'full' ? 21_000_000 : 300_000),
        json,
      ),
    ],
  },
  {
    name: 'many-tiny-cards',
    accepted: [200],
    run: async (host, size) => [
      await preview(host, 'tiny.vcf', tinyCards(size === 'full' ? 1_500_000 : 20_000)),
    ],
  },
  {
    name: 'large-photos',
    accepted: [200],
    run: async (host, size) => [
      await preview(
        host,
        'photos.vcf',
        // 30 photos of 4 MiB are some 170 MB in base64: large, yet within host.limits.uploadBytes.
        size === 'full' ? cardsWithPhotos(30, 4 << 20) : cardsWithPhotos(4, 1 << 20),
      ),
    ],
  },
  {
    name: 'concurrent-previews',
    accepted: [200, 429],
    run: (host, size) =>
      Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          preview(host, `gleichzeitig-${i}.vcf`, cardsOfSize(size === 'full' ? 200 << 20 : 4 << 20)),
        ),
      ),
  },
];

/** A host in a child process on a configuration of its own (no API key, no embedded CRM). */
export async function startHostileHost(
  limits: Record<string, number> = {},
): Promise<{ host: HostProcess; cleanUp(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'crmsync-hostile-'));
  writeFileSync(
    join(dir, 'crmsync.json'),
    JSON.stringify({
      host: { port: 0, logLevel: 'warn', ...(Object.keys(limits).length ? { limits } : {}) },
      dataDir: 'data',
      embedded: { referenceCrm: { enabled: false } },
    }),
  );
  const host = await startHostProcess({ CRMSYNC_CONFIG: dir, PORT: '0' });
  return { host, cleanUp: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A file of `bytes` bytes of small cards, generated as it is sent, previewed by `host`: as the
 * raw body, or as the file part of a form (`multipart/form-data`), as a browser sends it.
 */
export function previewUpload(
  host: HostProcess,
  bytes: number,
  as: 'raw' | 'form' = 'raw',
): Promise<Measured> {
  if (as === 'form') {
    const form = formWithFile('gross.vcf', cardsOfSize(bytes));
    return measure(host.url, host.child.pid!, '/api/v1/imports/preview', form.body, {
      'content-type': form.contentType,
    });
  }
  return measure(
    host.url,
    host.child.pid!,
    '/api/v1/imports/preview?fileName=gross.vcf',
    cardsOfSize(bytes),
    {
      'content-type': 'text/vcard',
    },
  );
}
