import {
  CR,
  isBlank,
  LF,
  latin1,
  longestMarkerLine,
  looksLikeProperty,
  type Marker,
  markerOf,
  propertyAt,
} from './line-bytes.js';
import { OwnBytes } from './own-bytes.js';

/**
 * Cuts a byte stream into cards without decoding it: a card's raw bytes are hashed for change
 * detection and decoded later with the charset its own lines declare.
 *
 * Cards nest one level deep, as a vCard 2.1 AGENT embeds a card: a card inside a top-level
 * card is read as a card of its own and cut out of the card around it. A BEGIN:VCARD inside
 * an embedded card cannot be nesting, so the embedded card ends there, cut short. Whether a
 * top-level card holds its embedded cards or was cut short by the first of them is known at
 * its END:VCARD or at the end of the input: with no line of its own after the first one, it
 * was cut short.
 *
 * Memory: at most the open card (its own bytes and those of the card embedded in it, up to
 * the card limit) plus the chunk being scanned; every line is looked at once, so the time
 * is linear in the input whatever its shape.
 */
export interface CardStart {
  /** 1-based, in the order the cards' BEGIN lines stand in the file. */
  card: number;
  /** 1-based line of the card's BEGIN line. */
  line: number;
}

export interface RawCard extends CardStart {
  bytes: Uint8Array;
  /** The card has no END:VCARD. */
  truncated: boolean;
  /** For a card cut short by another card's BEGIN:VCARD: that card. Otherwise a truncated card ends with the input. */
  cutBy?: CardStart;
  /** 1-based last line of the file that belongs to the card. */
  lastLine: number;
}

export interface OversizedCard extends CardStart {
  /** The property in which the card passes the limit, when one is recognisable. */
  field?: string;
}

export interface StrayContent {
  line: number;
  text: string;
  /** Line of an END:VCARD that closes a card with no BEGIN:VCARD (the run of text ends there). */
  endLine?: number;
  /** The text has lines shaped like properties (`NAME:value`), so it is probably a card's content. */
  propertyLike: boolean;
}

/**
 * Cards nested more than one level deep, recognised when END:VCARD lines turn up that close
 * none of the cards: until then each deeper card was read as cutting the one before it short.
 */
export interface DeepNesting extends CardStart {
  /** The embedded card it began in, and the top-level card around that. */
  inside: CardStart;
  outer: CardStart;
  /** The first END:VCARD line that closes no card. */
  endLine: number;
}

export type SplitItem =
  | { kind: 'card'; card: RawCard }
  | { kind: 'oversized'; card: OversizedCard }
  | { kind: 'stray'; stray: StrayContent }
  | { kind: 'nested'; nested: DeepNesting };

interface OpenCard extends CardStart {
  /** Offset in `buffer` of the card's bytes not yet in `own`; undefined while a card embedded in it is open. */
  from: number | undefined;
  /** A top-level card's own bytes, once a card embedded in it has begun. */
  own?: OwnBytes;
  /** How much of `own` lies before its first embedded card: all of the card if that card cut it short. */
  ownBeforeEmbedded?: number;
  firstEmbedded?: CardStart;
  /** It has lines of its own after an embedded card, so it holds embedded cards rather than being cut short. */
  ownAfterEmbedded: boolean;
  /** Over the card limit: no longer buffered, already reported. */
  skipping: boolean;
}

type Ending = 'closed' | 'input-end' | CardStart;

export class CardSplitter {
  /** The bytes being scanned: the caller's chunk, or a view of `storage`. */
  private buffer: Uint8Array = new Uint8Array(0);
  /** Owned memory for bytes carried over from one chunk to the next. */
  private storage: Uint8Array | undefined;
  private copied = 0;
  private peak = 0;
  /** Offset in `buffer` of the first line not yet complete. */
  private scanned = 0;
  /** Offset in `buffer` up to which the unfinished line has been searched for its end. */
  private cursor = 0;
  /** 1-based number of the line that starts at `scanned`. */
  private lineNumber = 1;
  private top: OpenCard | undefined;
  private inner: OpenCard | undefined;
  private cardCount = 0;
  private strayStart: number | undefined;
  private strayText = '';
  private strayPropertyLike = false;
  private otherDepth = 0;
  /** The rest of the current line is being thrown away (see dropLongPartialLine). */
  private discarding = false;
  /** Cards ended by a BEGIN:VCARD inside them whose END:VCARD may still turn up. */
  private deepCuts = 0;
  private deepFirst: Omit<DeepNesting, 'endLine'> | undefined;
  /** The deep nesting since the last top-level card began has been reported (once is enough). */
  private nestingReported = false;

  constructor(private readonly maxCardBytes: number) {}

  /** Bytes moved between buffers so far (not counting each card's own copy). */
  get copiedBytes(): number {
    return this.copied;
  }

  /** Bytes of the input held right now: the open card's and the unscanned rest of the chunk. */
  get retainedBytes(): number {
    const own = this.top && !this.top.skipping ? (this.top.own?.length ?? 0) : 0;
    return own + this.buffer.length - this.keepFrom();
  }

  /** The most `retainedBytes` has been at any time. */
  get peakRetainedBytes(): number {
    return this.peak;
  }

  /** Feeds the next chunk and returns every item completed by it. */
  push(chunk: Uint8Array): SplitItem[] {
    this.append(chunk);
    this.peak = Math.max(this.peak, this.retainedBytes);
    return this.scan(false);
  }

  end(): SplitItem[] {
    const items = this.scan(true);
    const { top, inner } = this;
    const lastLine = this.lineNumber - 1;
    if (top && !top.skipping) items.push(this.endTop(top, inner !== undefined, lastLine));
    if (inner && !inner.skipping) items.push(this.finish(inner, this.buffer.length, 'input-end', lastLine));
    this.top = undefined;
    this.inner = undefined;
    this.flushStray(items);
    this.buffer = new Uint8Array(0);
    this.storage = undefined;
    return items;
  }

  /** A top-level card still open when the input ends: cut short by its first embedded card, or by the end. */
  private endTop(top: OpenCard, innerOpen: boolean, lastLine: number): SplitItem {
    const { own, firstEmbedded } = top;
    if (own && firstEmbedded && !top.ownAfterEmbedded) {
      const bytes = own.bytes(top.ownBeforeEmbedded);
      const card: RawCard = { card: top.card, line: top.line, bytes, truncated: true, lastLine };
      card.cutBy = firstEmbedded;
      card.lastLine = firstEmbedded.line - 1;
      return { kind: 'card', card };
    }
    if (innerOpen) top.from = this.buffer.length;
    return this.finish(top, this.buffer.length, 'input-end', lastLine);
  }

  private keepFrom(): number {
    let keep = this.scanned;
    for (const card of [this.top, this.inner])
      if (card && !card.skipping && card.from !== undefined) keep = Math.min(keep, card.from);
    return keep;
  }

  private shift(by: number): void {
    this.scanned -= by;
    this.cursor -= by;
    for (const card of [this.top, this.inner]) if (card && card.from !== undefined) card.from -= by;
  }

  /**
   * Keeps the open card (or the unfinished line) and adds the chunk after it. The kept bytes
   * live in `storage`, which grows geometrically and is refilled in place, so a card arriving
   * in tiny chunks costs time in proportion to its size, not to its size squared.
   */
  private append(chunk: Uint8Array): void {
    const keepFrom = this.keepFrom();
    const kept = this.buffer.subarray(keepFrom);
    this.shift(keepFrom);
    if (kept.length === 0) {
      // Nothing carried over: scan the caller's chunk itself, without copying it.
      this.buffer = chunk;
      return;
    }
    const needed = kept.length + chunk.length;
    const storage = this.storage;
    if (storage && kept.buffer === storage.buffer) {
      const keptAt = kept.byteOffset - storage.byteOffset;
      if (keptAt + needed <= storage.length) {
        this.copy(storage, chunk, keptAt + kept.length);
        this.buffer = storage.subarray(keptAt, keptAt + needed);
        return;
      }
      if (needed <= storage.length / 2) {
        // Moving the kept bytes to the front frees at least as much room as they take.
        this.copyWithin(storage, keptAt, kept.length);
        this.copy(storage, chunk, kept.length);
        this.buffer = storage.subarray(0, needed);
        return;
      }
    } else if (storage && needed <= storage.length) {
      this.copy(storage, kept, 0);
      this.copy(storage, chunk, kept.length);
      this.buffer = storage.subarray(0, needed);
      return;
    }
    const grown = new Uint8Array(Math.max(2 * needed, minimumStorage));
    this.copy(grown, kept, 0);
    this.copy(grown, chunk, kept.length);
    this.storage = grown;
    this.buffer = grown.subarray(0, needed);
  }

  private copy(target: Uint8Array, source: Uint8Array, at: number): void {
    target.set(source, at);
    this.copied += source.length;
  }

  private copyWithin(target: Uint8Array, from: number, length: number): void {
    target.copyWithin(0, from, from + length);
    this.copied += length;
  }

  private scan(atEnd: boolean): SplitItem[] {
    const items: SplitItem[] = [];
    const bytes = this.buffer;
    const length = bytes.length;
    let lineStart = this.scanned;
    // An unfinished line is searched on from where the last chunk left it, never again from its start.
    let i = Math.max(this.cursor, lineStart);
    // Line breaks are found with the native indexOf; -1 means none up to the end of the buffer.
    let nextLf = -2;
    let nextCr = -2;
    while (i < length) {
      if (nextLf !== -1 && nextLf < i) nextLf = bytes.indexOf(LF, i);
      if (nextCr !== -1 && nextCr < i) nextCr = bytes.indexOf(CR, i);
      const at = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
      if (at === -1) {
        i = length;
        break;
      }
      i = at;
      const contentEnd = i;
      let next = i + 1;
      if (bytes[i] === CR) {
        // Cannot tell CR from CR LF (or CR CR LF) yet: wait for the next chunk.
        if (next >= length && !atEnd) break;
        if (bytes[next] === LF) next++;
        else if (bytes[next] === CR && next + 1 < length && bytes[next + 1] === LF) next += 2;
        else if (bytes[next] === CR && next + 1 >= length && !atEnd) break;
      }
      if (this.discarding) this.discarding = false;
      else this.line(bytes, lineStart, contentEnd, next, items);
      this.lineNumber++;
      i = next;
      lineStart = next;
    }
    if (atEnd && lineStart < length) {
      if (this.discarding) this.discarding = false;
      else this.line(bytes, lineStart, length, length, items);
      this.lineNumber++;
      lineStart = length;
      i = length;
    }
    this.scanned = lineStart;
    this.cursor = i;
    // The unfinished line counts towards the card limit too.
    this.checkLimit(length, items);
    this.dropLongPartialLine();
    this.peak = Math.max(this.peak, this.retainedBytes);
    return items;
  }

  private line(bytes: Uint8Array, start: number, contentEnd: number, next: number, items: SplitItem[]): void {
    const top = this.top;
    const kind = markerOf(bytes, start, contentEnd, top === undefined);
    if (kind === 'begin' && this.otherDepth === 0) {
      this.begin(start, items);
      this.checkLimit(next, items);
      return;
    }
    if (top) {
      if (kind === 'end') {
        this.checkLimit(next, items);
        this.close(top, next, items);
        return;
      }
      if (!this.inner && top.firstEmbedded && !top.ownAfterEmbedded && !isBlank(bytes, start, contentEnd))
        top.ownAfterEmbedded = true;
      this.checkLimit(next, items);
      return;
    }
    this.outside(bytes, start, contentEnd, kind, items);
  }

  private begin(start: number, items: SplitItem[]): void {
    this.flushStray(items);
    const here: CardStart = { card: ++this.cardCount, line: this.lineNumber };
    const top = this.top;
    if (!top) {
      this.deepCuts = 0;
      this.deepFirst = undefined;
      this.nestingReported = false;
      this.top = openCard(here, start, false);
      return;
    }
    const inner = this.inner;
    if (inner) {
      // Nesting deeper than one level is not vCard: the embedded card ends where this one begins.
      if (!inner.skipping) items.push(this.finish(inner, start, here, here.line - 1));
      this.deepFirst ??= {
        card: here.card,
        line: here.line,
        inside: cardStart(inner),
        outer: cardStart(top),
      };
      this.deepCuts++;
    } else {
      if (!top.firstEmbedded) top.firstEmbedded = here;
      if (!top.skipping) {
        const own = top.own ?? new OwnBytes();
        top.own = own;
        own.append(this.buffer.subarray(top.from, start));
        top.ownBeforeEmbedded ??= own.length;
      }
      top.from = undefined;
    }
    this.inner = openCard(here, start, top.skipping);
    // A card embedded in a card over the limit is skipped with it.
    if (top.skipping) items.push({ kind: 'oversized', card: here });
  }

  private close(top: OpenCard, next: number, items: SplitItem[]): void {
    const inner = this.inner;
    if (inner) {
      this.inner = undefined;
      if (!inner.skipping) items.push(this.finish(inner, next, 'closed', this.lineNumber));
      top.from = next;
      return;
    }
    this.top = undefined;
    if (!top.skipping) items.push(this.finish(top, next, 'closed', this.lineNumber));
  }

  private outside(
    bytes: Uint8Array,
    start: number,
    contentEnd: number,
    kind: Marker | undefined,
    items: SplitItem[],
  ) {
    if (kind === 'other-begin') this.otherDepth++;
    else if (kind === 'other-end' && this.otherDepth > 0) this.otherDepth--;
    if (contentEnd <= start || isBlank(bytes, start, contentEnd)) return;
    if (kind === 'end' && this.otherDepth === 0 && this.deepCuts > 0) {
      // It closes one of the cards read as cut short: they were nested deeper than vCard allows.
      // Lines just before it belonged to such a card and are reported as not imported.
      this.deepCuts--;
      if (!this.nestingReported && this.deepFirst)
        items.push({ kind: 'nested', nested: { ...this.deepFirst, endLine: this.lineNumber } });
      this.nestingReported = true;
      this.flushStray(items, this.lineNumber);
      return;
    }
    if (this.strayStart === undefined) {
      this.strayStart = this.lineNumber;
      this.strayText = latin1(bytes, start, Math.min(contentEnd, start + 60));
    }
    if (kind === undefined && this.otherDepth === 0 && looksLikeProperty(bytes, start, contentEnd))
      this.strayPropertyLike = true;
    // A lone END:VCARD closes a card whose BEGIN is missing or unrecognisable: that card is
    // reported on its own, apart from whatever follows.
    if (kind === 'end' && this.otherDepth === 0) this.flushStray(items, this.lineNumber);
  }

  /**
   * Stops buffering the open card once it passes the limit (counted up to byte `upTo`,
   * together with the card around it) and reports it at once; its END is still looked for so
   * the next card is found and numbered correctly. Checked at every line end and at the end
   * of each chunk, so the card, the field and the order of the problems do not depend on
   * how the input is chunked.
   */
  private checkLimit(upTo: number, items: SplitItem[]): void {
    const top = this.top;
    if (!top || top.skipping) return;
    const active = this.inner ?? top;
    const from = active.from as number;
    const own = top.own?.length ?? 0;
    if (own + upTo - from <= this.maxCardBytes) return;
    const field = propertyAt(this.buffer, from, from + this.maxCardBytes - own);
    for (const card of [top, this.inner]) {
      if (!card) continue;
      card.skipping = true;
      const oversized: OversizedCard = cardStart(card);
      if (field !== undefined) oversized.field = field;
      items.push({ kind: 'oversized', card: oversized });
    }
    top.own = undefined;
  }

  /**
   * A line still without its end that belongs to no buffered card (an oversized card, or
   * text outside cards) is dropped as it arrives, so one endless line cannot fill memory.
   */
  private dropLongPartialLine(): void {
    const active = this.inner ?? this.top;
    if (active && !active.skipping) return;
    const partial = this.buffer.length - this.scanned;
    if (partial <= longestMarkerLine) return;
    if (!active && !this.discarding) {
      if (this.strayStart === undefined) {
        this.strayStart = this.lineNumber;
        this.strayText = latin1(this.buffer, this.scanned, this.scanned + 60);
      }
      // As the whole line would be judged: only its first 80 bytes can make it look like a property.
      if (this.otherDepth === 0 && looksLikeProperty(this.buffer, this.scanned, this.buffer.length))
        this.strayPropertyLike = true;
    }
    this.discarding = true;
    this.buffer = new Uint8Array(0);
    this.scanned = 0;
    this.cursor = 0;
    for (const card of [this.top, this.inner]) if (card && card.from !== undefined) card.from = 0;
  }

  private flushStray(items: SplitItem[], endLine?: number): void {
    if (this.strayStart === undefined) return;
    const stray: StrayContent = {
      line: this.strayStart,
      text: this.strayText,
      propertyLike: this.strayPropertyLike,
    };
    if (endLine !== undefined) stray.endLine = endLine;
    items.push({ kind: 'stray', stray });
    this.strayStart = undefined;
    this.strayText = '';
    this.strayPropertyLike = false;
  }

  private finish(card: OpenCard, end: number, ending: Ending, lastLine: number): SplitItem {
    const from = card.from ?? end;
    let bytes: Uint8Array;
    if (card.own) {
      card.own.append(this.buffer.subarray(from, end));
      bytes = card.own.bytes();
    } else {
      // A copy, so that the card does not pin the whole read buffer in memory.
      bytes = this.buffer.slice(from, end);
    }
    // Plain literals rather than spreads: this runs once per card.
    const raw: RawCard = {
      card: card.card,
      line: card.line,
      bytes,
      truncated: ending !== 'closed',
      lastLine,
    };
    if (typeof ending === 'object') raw.cutBy = ending;
    return { kind: 'card', card: raw };
  }
}

function cardStart(card: CardStart): CardStart {
  return { card: card.card, line: card.line };
}

function openCard(start: CardStart, from: number, skipping: boolean): OpenCard {
  return { card: start.card, line: start.line, from, ownAfterEmbedded: false, skipping };
}

/** Enough for a typical card, so carrying one over a chunk border seldom allocates. */
const minimumStorage = 64 * 1024;
