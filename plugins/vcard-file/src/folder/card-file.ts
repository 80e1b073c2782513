import { createHash } from 'node:crypto';
import type { Contact, Fetched } from '../../../../core/index.js';
import { type ReadOptions, readVCardsSync } from '../read/index.js';
import { formatCardId } from './card-id.js';
import { type CardRange, topLevelCardRanges } from './card-ranges.js';

/** One card as the folder stores it. */
export interface StoredCard {
  id: string;
  /** SHA-256 of the card's bytes (of the whole file for a single-card file). */
  version: string;
  /** Where the card lies in its file; absent when the file was read whole. */
  range?: CardRange;
  /**
   * False for a card crmsync cannot rewrite without touching another (a card nested in
   * another, or a file whose cards cannot be told apart by their BEGIN/END lines).
   */
  writable: boolean;
  fetched: Fetched<Contact>;
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The cards of one `.vcf` file. A file with one card is that contact (`name`); a file with
 * several gives `name#1`, `name#2`, …, each read on its own, so one broken card costs only
 * itself and each card has a version of its own.
 */
export function cardsOfFile(name: string, bytes: Uint8Array, options: ReadOptions = {}): StoredCard[] {
  const ranges = topLevelCardRanges(bytes);
  if (ranges.length === 0) {
    // No BEGIN/END lines to be found byte by byte (UTF-16, or no card at all): read whole.
    const version = contentHash(bytes);
    const items = readVCardsSync(bytes, { ...options, file: name });
    if (items.length === 1) return [stored(name, version, undefined, true, items[0] as Fetched<Contact>)];
    return items.map((item, i) =>
      stored(formatCardId({ file: name, card: i + 1 }), version, undefined, false, item),
    );
  }
  const cards: StoredCard[] = [];
  for (const range of ranges) {
    const items = readVCardsSync(bytes.subarray(range.start, range.end), { ...options, file: name });
    if (ranges.length === 1 && items.length === 1) {
      // The file is this one contact; text around the card stays untouched when it is rewritten.
      return [
        stored(name, contentHash(bytes), range, true, relocate(items[0] as Fetched<Contact>, 1, range.line)),
      ];
    }
    const version = contentHash(bytes.subarray(range.start, range.end));
    for (const item of items) {
      const card = cards.length + 1;
      cards.push(
        stored(
          formatCardId({ file: name, card }),
          version,
          range,
          items.length === 1,
          relocate(item, card, range.line),
        ),
      );
    }
  }
  return cards;
}

function stored(
  id: string,
  version: string,
  range: CardRange | undefined,
  writable: boolean,
  fetched: Fetched<Contact>,
): StoredCard {
  if (fetched.ok) {
    fetched.value.ids = { ...fetched.value.ids, groupwareId: id, groupwareVersion: version };
  }
  return range ? { id, version, range, writable, fetched } : { id, version, writable, fetched };
}

/** A problem found in a card read on its own, located in the file it came from. */
function relocate(item: Fetched<Contact>, card: number, firstLine: number): Fetched<Contact> {
  if (item.ok) return item;
  const location = { ...item.problem.location, card };
  location.line =
    item.problem.location.line !== undefined ? item.problem.location.line + firstLine - 1 : firstLine;
  return { ok: false, problem: { ...item.problem, location } };
}
