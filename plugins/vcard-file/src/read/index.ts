import type { Contact, Fetched } from '../../../../core/index.js';
import { type CardLimits, toFetched, toFetchedInTurns } from './card-reader.js';
import { CardSplitter, type SplitItem } from './card-splitter.js';
import { normaliseInput, normaliseWhole } from './input-encoding.js';

export interface ReadOptions {
  /** Named in every problem's location. */
  file?: string;
  /** A larger card is reported and skipped without being buffered. Default 8 MiB, room for a 5 MiB photo in base64. */
  maxCardBytes?: number;
  /** A larger decoded photo rejects its card. Default 5 MiB. */
  maxPhotoBytes?: number;
}

const defaultMaxCardBytes = 8 * 1024 * 1024;
const defaultMaxPhotoBytes = 5 * 1024 * 1024;
/** In-memory input is fed in slices so that contacts come out while the rest is still unread. */
const sliceSize = 64 * 1024;
/**
 * From this size on, a streamed card is read with turns of the event loop between its steps.
 * Smaller cards take well under a millisecond each and are read in one go.
 */
const cardBytesReadInTurns = 256 * 1024;

const readInTurns = (item: SplitItem) =>
  item.kind === 'card' && item.card.bytes.length >= cardBytesReadInTurns;

function limitsOf(options: ReadOptions): CardLimits {
  return {
    file: options.file,
    maxCardBytes: options.maxCardBytes ?? defaultMaxCardBytes,
    maxPhotoBytes: options.maxPhotoBytes ?? defaultMaxPhotoBytes,
  };
}

function* slices(bytes: Uint8Array): Iterable<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += sliceSize)
    yield bytes.subarray(offset, offset + sliceSize);
}

async function* chunksOf(input: Uint8Array | string | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  if (typeof input === 'string') yield* slices(Buffer.from(input, 'utf8'));
  else if (input instanceof Uint8Array) yield* slices(input);
  else yield* input;
}

/** Streams cards one by one; memory does not grow with the file's size. */
export async function* readVCards(
  input: Uint8Array | string | AsyncIterable<Uint8Array>,
  options: ReadOptions = {},
): AsyncIterable<Fetched<Contact>> {
  const limits = limitsOf(options);
  const splitter = new CardSplitter(limits.maxCardBytes);
  for await (const chunk of normaliseInput(chunksOf(input))) {
    for (const item of splitter.push(chunk))
      yield* readInTurns(item) ? await toFetchedInTurns(item, limits) : toFetched(item, limits);
  }
  for (const item of splitter.end())
    yield* readInTurns(item) ? await toFetchedInTurns(item, limits) : toFetched(item, limits);
}

/** Convenience for small inputs that are already in memory. */
export function readVCardsSync(input: Uint8Array | string, options: ReadOptions = {}): Fetched<Contact>[] {
  const limits = limitsOf(options);
  const splitter = new CardSplitter(limits.maxCardBytes);
  const bytes = normaliseWhole(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
  const results: Fetched<Contact>[] = [];
  for (const chunk of slices(bytes))
    for (const item of splitter.push(chunk)) results.push(...toFetched(item, limits));
  for (const item of splitter.end()) results.push(...toFetched(item, limits));
  return results;
}
