/**
 * Cuts a byte stream into cards without decoding it: a card's raw bytes are hashed for change
 * detection and decoded later with the charset its own lines declare. Only the card being
 * read is held in memory, so a file of any size streams in constant space.
 */
export interface RawCard {
  /** 1-based, in the order cards end (a nested card ends before the card around it). */
  card: number;
  /** 1-based line of the file where the card's BEGIN line is. */
  line: number;
  bytes: Uint8Array;
  /** The card ended without END:VCARD because the input ended. */
  truncated: boolean;
  /** 1-based last line of the file that belongs to the card. */
  lastLine: number;
}

export interface OversizedCard {
  card: number;
  line: number;
  size: number;
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

export type SplitItem =
  | { kind: 'card'; card: RawCard }
  | { kind: 'oversized'; card: OversizedCard }
  | { kind: 'stray'; stray: StrayContent };

const CR = 13;
const LF = 10;

interface OpenCard {
  startOffset: number;
  line: number;
  skipping: boolean;
  /** Set when the card passes the limit; see propertyAt. */
  field?: string;
}

const vcardSuffix = [58, 86, 67, 65, 82, 68]; // ":VCARD"

function endsWithVcard(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start < vcardSuffix.length) return false;
  for (let k = 0; k < vcardSuffix.length; k++) {
    const byte = bytes[end - vcardSuffix.length + k] as number;
    // ASCII upper-casing; ":" is unaffected.
    const upper = byte >= 97 && byte <= 122 ? byte - 32 : byte;
    if (upper !== vcardSuffix[k]) return false;
  }
  return true;
}

/**
 * BEGIN:VCARD / END:VCARD, optionally grouped (`home.begin:vcard`), any case, trailing blanks
 * allowed. Other components (BEGIN:FOO) only matter outside cards, so they are only looked
 * for there; inside a card the cheap byte check keeps ordinary lines free of allocations.
 */
function marker(
  bytes: Uint8Array,
  start: number,
  end: number,
  outside: boolean,
): 'begin' | 'end' | 'other-begin' | 'other-end' | undefined {
  while (end > start && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
  const length = end - start;
  if (length < 9 || length > 80) return undefined;
  const first = bytes[start] as number;
  if (first === 32 || first === 9) return undefined;
  if (!outside && !endsWithVcard(bytes, start, end)) return undefined;
  const match = /^(?:[^:;]*\.)?(begin|end):(.*)$/i.exec(latin1(bytes, start, end));
  if (!match) return undefined;
  const isBegin = (match[1] as string).toLowerCase() === 'begin';
  const isCard = (match[2] as string).trim().toLowerCase() === 'vcard';
  if (isCard) return isBegin ? 'begin' : 'end';
  return isBegin ? 'other-begin' : 'other-end';
}

export class CardSplitter {
  /** The bytes being scanned: the caller's chunk, or a view of `storage`. */
  private buffer: Uint8Array = new Uint8Array(0);
  /** Owned memory for bytes carried over from one chunk to the next. */
  private storage: Uint8Array | undefined;
  private copied = 0;
  /** Offset in `buffer` of the first byte not yet scanned. */
  private scanned = 0;
  /** 1-based number of the line that starts at `scanned`. */
  private lineNumber = 1;
  private readonly open: OpenCard[] = [];
  private cardCount = 0;
  private strayStart: number | undefined;
  private strayText = '';
  private strayPropertyLike = false;
  private otherDepth = 0;
  /** The rest of the current line is being thrown away (see dropLongPartialLine). */
  private discarding = false;

  constructor(private readonly maxCardBytes: number) {}

  /** Bytes moved between buffers so far (not counting each card's own copy). */
  get copiedBytes(): number {
    return this.copied;
  }

  /** Feeds the next chunk and returns every item completed by it. */
  push(chunk: Uint8Array): SplitItem[] {
    this.append(chunk);
    return this.scan(false);
  }

  end(): SplitItem[] {
    const items = this.scan(true);
    // Cards still open when the input ends are read as far as they go (a cropped file).
    while (this.open.length > 0) {
      const card = this.open.pop() as OpenCard;
      items.push(this.finish(card, this.buffer.length, true, this.lineNumber - 1));
    }
    this.flushStray(items);
    this.buffer = new Uint8Array(0);
    this.storage = undefined;
    return items;
  }

  /**
   * Keeps the open card (or the unfinished line) and adds the chunk after it. The kept bytes
   * live in `storage`, which grows geometrically and is refilled in place, so a card arriving
   * in tiny chunks costs time in proportion to its size, not to its size squared.
   */
  private append(chunk: Uint8Array): void {
    const outer = this.open[0];
    const keepFrom = outer && !outer.skipping ? Math.min(outer.startOffset, this.scanned) : this.scanned;
    const kept = this.buffer.subarray(keepFrom);
    for (const card of this.open) card.startOffset -= keepFrom;
    this.scanned -= keepFrom;
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
    let lineStart = this.scanned;
    let i = lineStart;
    const length = bytes.length;
    while (i < length) {
      const byte = bytes[i] as number;
      if (byte !== LF && byte !== CR) {
        i++;
        continue;
      }
      const contentEnd = i;
      let next = i + 1;
      if (byte === CR) {
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
    }
    this.scanned = lineStart;
    this.enforceLimit();
    this.dropLongPartialLine();
    return items;
  }

  private line(bytes: Uint8Array, start: number, contentEnd: number, next: number, items: SplitItem[]): void {
    const kind = marker(bytes, start, contentEnd, this.open.length === 0);
    const current = this.open[this.open.length - 1];
    if (kind === 'begin' && this.otherDepth === 0) {
      this.flushStray(items);
      this.open.push({ startOffset: start, line: this.lineNumber, skipping: current?.skipping ?? false });
      return;
    }
    if (kind === 'end' && current && this.otherDepth === 0) {
      this.open.pop();
      items.push(
        current.skipping ? this.oversized(current, next) : this.finish(current, next, false, this.lineNumber),
      );
      return;
    }
    if (this.open.length > 0) return;
    if (kind === 'other-begin') this.otherDepth++;
    else if (kind === 'other-end' && this.otherDepth > 0) this.otherDepth--;
    if (contentEnd > start && !isBlank(bytes, start, contentEnd)) {
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
  }

  /**
   * A line still without its end that belongs to no buffered card (an oversized card, or
   * text outside cards) is dropped as it arrives, so one endless line cannot fill memory.
   */
  private dropLongPartialLine(): void {
    const current = this.open[this.open.length - 1];
    if (current && !current.skipping) return;
    const partial = this.buffer.length - this.scanned;
    if (partial <= longestMarkerLine) return;
    if (!current && this.strayStart === undefined && !this.discarding) {
      this.strayStart = this.lineNumber;
      this.strayText = latin1(this.buffer, this.scanned, this.scanned + 60);
    }
    this.discarding = true;
    this.buffer = new Uint8Array(0);
    this.scanned = 0;
    for (const card of this.open) card.startOffset = 0;
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

  private finish(card: OpenCard, end: number, truncated: boolean, lastLine: number): SplitItem {
    // The limit counts from the outermost card's BEGIN: a card nested in an oversized card is
    // skipped with it, whether or not its own bytes happened to be complete in one chunk.
    const outermost = this.open[0] ?? card;
    if (card.skipping || end - outermost.startOffset > this.maxCardBytes) {
      if (!card.skipping)
        card.field = propertyAt(this.buffer, card.startOffset, outermost.startOffset + this.maxCardBytes);
      return this.oversized(card, end);
    }
    this.cardCount++;
    // A copy, so that the card does not pin the whole read buffer in memory.
    const bytes = this.buffer.slice(card.startOffset, end);
    return { kind: 'card', card: { card: this.cardCount, line: card.line, bytes, truncated, lastLine } };
  }

  private oversized(card: OpenCard, end: number): SplitItem {
    this.cardCount++;
    const size = card.skipping ? Number.NaN : end - card.startOffset;
    const oversized: OversizedCard = { card: this.cardCount, line: card.line, size };
    if (card.field !== undefined) oversized.field = card.field;
    return { kind: 'oversized', card: oversized };
  }

  /**
   * A card over the limit stops being buffered at once; its END is still looked for so the
   * next card is found and numbered correctly.
   */
  private enforceLimit(): void {
    const outer = this.open[0];
    if (!outer || outer.skipping) return;
    if (this.buffer.length - outer.startOffset > this.maxCardBytes) {
      const crossing = outer.startOffset + this.maxCardBytes;
      for (const card of this.open) {
        card.skipping = true;
        card.field = propertyAt(this.buffer, card.startOffset, crossing);
      }
      // Drop the buffered bytes; only line scanning continues.
      this.buffer = this.buffer.subarray(this.scanned);
      for (const card of this.open) card.startOffset = 0;
      this.scanned = 0;
    }
  }
}

/** Longer than any BEGIN/END line can be. */
const longestMarkerLine = 1024;
/** Enough for a typical card, so carrying one over a chunk border seldom allocates. */
const minimumStorage = 64 * 1024;

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if (byte !== 32 && byte !== 9 && byte !== 0xef && byte !== 0xbb && byte !== 0xbf) return false;
  }
  return true;
}

const propertyNamePattern = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)?$/;

/** `NAME:` or `NAME;` at the start of a line (with an optional group), as a property line begins. */
function propertyNameAt(bytes: Uint8Array, start: number): string | undefined {
  let end = start;
  const limit = Math.min(bytes.length, start + 80);
  while (end < limit && bytes[end] !== 58 && bytes[end] !== 59) end++;
  if (end === limit || end === start) return undefined;
  const name = latin1(bytes, start, end);
  return propertyNamePattern.test(name) ? name.slice(name.indexOf('.') + 1).toUpperCase() : undefined;
}

function looksLikeProperty(bytes: Uint8Array, start: number, end: number): boolean {
  return propertyNameAt(bytes.subarray(0, end), start) !== undefined;
}

/**
 * Names the property in which a card passes the size limit (the one holding byte `at`), so
 * the problem can say which field made it too large. Folded lines and the unindented base64
 * lines of vCard 2.1 belong to the property they continue. The byte is the same however the
 * input is chunked, so the answer is too. Runs once per oversized card.
 */
function propertyAt(bytes: Uint8Array, from: number, at: number): string | undefined {
  let position = Math.min(at, bytes.length - 1);
  while (position >= from) {
    let lineStart = position;
    while (lineStart > from && bytes[lineStart - 1] !== LF && bytes[lineStart - 1] !== CR) lineStart--;
    const first = bytes[lineStart];
    if (first !== 32 && first !== 9) {
      const name = propertyNameAt(bytes, lineStart);
      if (name !== undefined) return name;
    }
    position = lineStart - 1;
  }
  return undefined;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
