import { createHash } from 'node:crypto';
import type { Contact, Fetched } from '../../../../core/index.js';
import { type ReadOptions, readVCards, readVCardsSync } from '../read/index.js';
import { formatCardId } from './card-id.js';
import { type CardRange, topLevelCardRanges } from './card-ranges.js';

/** One card as the folder stores it. */
export interface StoredCard {
  id: string;
  /** SHA-256 of the card's bytes (of the whole file for a single-card file). */
  version: string;
  /** 1-based position of the card in its file. */
  position: number;
  /** Where the card lies in its file; absent when the file was read whole. */
  range?: CardRange;
  /**
   * False for a card crmsync cannot rewrite without touching another (a card nested in
   * another, or a file whose cards cannot be told apart by their BEGIN/END lines).
   */
  writable: boolean;
  fetched: Fetched<Contact>;
}

/** A card met while streaming a file: what listing and change detection need, nothing more. */
export type StreamedCard = Omit<StoredCard, 'range' | 'writable'>;

export function contentHash(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Gives the cards of a multi-card file their ids in file order: a card's UID when it has one
 * that no earlier card of the file has, else its position. The first card with a UID keeps
 * the UID's id, so a duplicate added later by hand does not take it over.
 */
class CardNamer {
  private readonly seenUids = new Set<string>();
  private position = 0;

  constructor(private readonly file: string) {}

  /** Undefined for an item that is no card (text outside any card, not part of the folder). */
  next(item: Fetched<Contact>): { id: string; version: string; position: number } | undefined {
    if (!item.ok && item.problem.location.card === undefined) return undefined;
    const position = ++this.position;
    const uid = item.ok ? item.value.ids.uid : undefined;
    let id: string;
    if (uid && !this.seenUids.has(uid)) {
      this.seenUids.add(uid);
      id = formatCardId({ file: this.file, uid });
    } else {
      id = formatCardId({ file: this.file, card: position });
    }
    return { id, version: cardVersion(item), position };
  }
}

/** The card's own content hash as the reader computed it; a broken card is known by its problem. */
function cardVersion(item: Fetched<Contact>): string {
  if (!item.ok) {
    const { code, message, location } = item.problem;
    return contentHash(`problem\0${code}\0${message}\0${location.field ?? ''}`);
  }
  return item.value.ids.groupwareVersion ?? contentHash(JSON.stringify(item.value));
}

/** Whether an item is a card at all (text outside cards is not part of the folder's contacts). */
function isCard(item: Fetched<Contact>): boolean {
  return item.ok || item.problem.location.card !== undefined;
}

/**
 * The cards of one `.vcf` file, read card by card from `chunks` without holding more than
 * the card being read and the one before it: a file with one card is that contact (`name`,
 * versioned by the whole file's hash); a file with several gives one id per card (see
 * `CardNamer`), each read on its own, so one broken card costs only itself.
 */
export async function* streamCardsOfFile(
  name: string,
  chunks: AsyncIterable<Uint8Array>,
  options: ReadOptions = {},
): AsyncIterable<StreamedCard> {
  const fileHash = createHash('sha256');
  async function* hashed(): AsyncIterable<Uint8Array> {
    for await (const chunk of chunks) {
      fileHash.update(chunk);
      yield chunk;
    }
  }
  const namer = new CardNamer(name);
  // The first card is held back until a second shows whether the file is a single contact.
  let first: Fetched<Contact> | undefined;
  let count = 0;
  for await (const item of readVCards(hashed(), { ...options, file: name })) {
    if (!isCard(item)) continue;
    count++;
    if (count === 1) {
      first = item;
      continue;
    }
    if (count === 2) yield streamed(namer, first as Fetched<Contact>);
    yield streamed(namer, item);
  }
  if (count === 1) {
    yield withIds({
      id: name,
      version: fileHash.digest('hex'),
      position: 1,
      fetched: first as Fetched<Contact>,
    });
  }
}

function streamed(namer: CardNamer, item: Fetched<Contact>): StreamedCard {
  const named = namer.next(item) as { id: string; version: string; position: number };
  return withIds({ ...named, fetched: item });
}

function withIds<T extends StreamedCard>(card: T): T {
  if (card.fetched.ok) {
    card.fetched.value.ids = {
      ...card.fetched.value.ids,
      groupwareId: card.id,
      groupwareVersion: card.version,
    };
  }
  return card;
}

/**
 * The cards of one file already in memory, with where each lies in the bytes, for rewriting
 * one card while every other byte stays. Ids and versions are those `streamCardsOfFile` gives.
 */
export function cardsOfFile(name: string, bytes: Uint8Array, options: ReadOptions = {}): StoredCard[] {
  const ranges = topLevelCardRanges(bytes);
  const read: { fetched: Fetched<Contact>; range?: CardRange; writable: boolean }[] = [];
  if (ranges.length === 0) {
    // No BEGIN/END lines to be found byte by byte (UTF-16, or no card at all): read whole.
    const items = readVCardsSync(bytes, { ...options, file: name }).filter(isCard);
    for (const fetched of items) read.push({ fetched, writable: items.length === 1 });
  } else {
    for (const range of ranges) {
      const items = readVCardsSync(bytes.subarray(range.start, range.end), { ...options, file: name }).filter(
        isCard,
      );
      for (const item of items) {
        read.push({
          fetched: relocate(item, read.length + 1, range.line),
          range,
          writable: items.length === 1,
        });
      }
    }
  }
  if (read.length === 1) {
    const only = read[0] as (typeof read)[number];
    return [withIds({ id: name, version: contentHash(bytes), position: 1, ...only })];
  }
  const namer = new CardNamer(name);
  return read.map((card) =>
    withIds({ ...(namer.next(card.fetched) as ReturnType<CardNamer['next']> & {}), ...card }),
  );
}

/** A problem found in a card read on its own, located in the file it came from. */
function relocate(item: Fetched<Contact>, card: number, firstLine: number): Fetched<Contact> {
  if (item.ok) return item;
  const location = { ...item.problem.location, card };
  location.line =
    item.problem.location.line !== undefined ? item.problem.location.line + firstLine - 1 : firstLine;
  return { ok: false, problem: { ...item.problem, location } };
}
