import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import type { Contact } from '../../core/index.js';
import { readVCards } from '../../plugins/vcard-file/src/read/index.js';
import { writeVCard } from '../../plugins/vcard-file/src/write/index.js';
import { figure, figureOfRounds, quick } from '../support/report.js';
import { alternatingRounds } from '../support/rounds.js';
import { germanContacts } from './german-contacts.js';

// One generated file of `large` cards is written, then read by crmsync's reader and parsed by
// ical.js from the same bytes in memory, in alternating rounds after a warm-up round; each
// figure is the median of the rounds with their range. ical.js parses the file 1,000 cards at
// a time: parsing it whole holds every parsed card at once, which makes its cost per card
// grow with the file and the quick run disagree with the full one, while crmsync's reader
// streams. The quick run reads the same kind of file with fewer cards and rounds, still large
// enough that compiling the code is a small part of a round. Peak RSS is compared between
// reads of `small` and `large` cards.
const large = quick ? 20_000 : 100_000;
const small = large / 10;
const rounds = quick ? 5 : 7;
const cardsPerPiece = 1000;
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

  const bytes = readFileSync(largeFile);
  const pieces = piecesOf(bytes, cardsPerPiece);
  const seconds = await alternatingRounds(
    [
      {
        name: 'crmsync',
        async run() {
          let read = 0;
          for await (const item of readVCards(bytes, { file: largeFile })) if (item.ok) read++;
          if (read !== large) throw new Error(`the reader returned ${read} of ${large} cards`);
        },
      },
      {
        name: 'ical.js',
        run() {
          let parsed = 0;
          // Decoding the bytes is part of the work, as it is for crmsync's reader.
          for (const [start, end] of pieces)
            parsed += (ICAL.parse(bytes.toString('utf8', start, end)) as unknown[]).length;
          if (parsed !== large) throw new Error(`ical.js returned ${parsed} of ${large} cards`);
        },
      },
    ],
    rounds,
  );
  const crmsync = seconds.get('crmsync') as number[];
  const ical = seconds.get('ical.js') as number[];

  figure('vcard write', large / writeSeconds, 'cards/s');
  figureOfRounds(
    'vcard read',
    crmsync.map((s) => large / s),
    'cards/s',
  );
  figureOfRounds(
    'ical.js raw parse',
    ical.map((s) => large / s),
    'cards/s',
  );
  // Per round, so that load on the machine during a round affects both sides of its ratio.
  figureOfRounds(
    'vcard read ratio to ical.js',
    crmsync.map((s, round) => (ical[round] as number) / s),
    'x',
  );

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

/** Byte ranges of `per` cards each, cut after END:VCARD lines (the writer writes them exactly so). */
function piecesOf(bytes: Buffer, per: number): [number, number][] {
  const marker = Buffer.from('END:VCARD\r\n');
  const pieces: [number, number][] = [];
  let start = 0;
  let cards = 0;
  for (let at = bytes.indexOf(marker); at !== -1; at = bytes.indexOf(marker, at + marker.length)) {
    if (++cards % per === 0) {
      pieces.push([start, at + marker.length]);
      start = at + marker.length;
    }
  }
  if (start < bytes.length) pieces.push([start, bytes.length]);
  return pieces;
}

function rssOfRead(file: string, expected: number): number {
  const output = execFileSync(process.execPath, [join(here, 'rss-child.js'), file], { encoding: 'utf8' });
  const result = JSON.parse(output) as { cards: number; peakRssMiB: number };
  if (result.cards !== expected) throw new Error(`the reader returned ${result.cards} of ${expected} cards`);
  return result.peakRssMiB;
}
