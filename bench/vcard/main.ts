import { execFileSync } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import type { Contact } from '../../core/index.js';
import { readVCards } from '../../plugins/vcard-file/src/read/index.js';
import { writeVCard } from '../../plugins/vcard-file/src/write/index.js';
import { figure, quick } from '../support/report.js';
import { germanContacts } from './german-contacts.js';

// One generated file of `large` cards is written, read by crmsync's reader and parsed by
// ical.js; peak RSS is compared between reads of `small` and `large` cards.
const large = quick ? 10_000 : 100_000;
const small = large / 10;
const here = dirname(fileURLToPath(import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'crmsync-bench-vcard-'));

try {
  const contacts = germanContacts(large);
  const largeFile = join(folder, `${large}.vcf`);
  const smallFile = join(folder, `${small}.vcf`);

  const writeStart = performance.now();
  writeCards(largeFile, contacts);
  const writeSeconds = (performance.now() - writeStart) / 1000;
  writeCards(smallFile, contacts.slice(0, small));
  contacts.length = 0;

  const readStart = performance.now();
  let read = 0;
  for await (const item of readVCards(createReadStream(largeFile), { file: largeFile })) if (item.ok) read++;
  const readSeconds = (performance.now() - readStart) / 1000;
  if (read !== large) throw new Error(`the reader returned ${read} of ${large} cards`);

  const icalStart = performance.now();
  const parsed = ICAL.parse(readFileSync(largeFile, 'utf8')) as unknown[];
  const icalSeconds = (performance.now() - icalStart) / 1000;
  if (parsed.length !== large) throw new Error(`ical.js returned ${parsed.length} of ${large} cards`);
  parsed.length = 0;

  figure('vcard write', large / writeSeconds, 'cards/s');
  figure('vcard read', large / readSeconds, 'cards/s');
  figure('ical.js raw parse', large / icalSeconds, 'cards/s');
  figure('vcard read ratio to ical.js', icalSeconds / readSeconds, 'x');

  const smallRss = rssOfRead(smallFile, small);
  const largeRss = rssOfRead(largeFile, large);
  figure(`vcard read peak rss ${small} cards`, smallRss, 'MiB');
  figure(`vcard read peak rss ${large} cards`, largeRss, 'MiB');
  figure(`vcard read rss ratio ${large / 1000}k/${small / 1000}k`, largeRss / smallRss, 'x');
} finally {
  rmSync(folder, { recursive: true, force: true });
}

function writeCards(file: string, cards: Contact[]): void {
  const fd = openSync(file, 'w');
  let pending: string[] = [];
  let pendingLength = 0;
  for (const contact of cards) {
    const card = writeVCard(contact);
    pending.push(card);
    pendingLength += card.length;
    if (pendingLength > 1 << 20) {
      writeSync(fd, Buffer.from(pending.join(''), 'utf8'));
      pending = [];
      pendingLength = 0;
    }
  }
  writeSync(fd, Buffer.from(pending.join(''), 'utf8'));
  closeSync(fd);
}

function rssOfRead(file: string, expected: number): number {
  const output = execFileSync(process.execPath, [join(here, 'rss-child.js'), file], { encoding: 'utf8' });
  const result = JSON.parse(output) as { cards: number; peakRssMiB: number };
  if (result.cards !== expected) throw new Error(`the reader returned ${result.cards} of ${expected} cards`);
  return result.peakRssMiB;
}
