/**
 * Unfolds one card's text into logical content lines, tolerating what real producers do:
 * RFC folding (a line starting with a blank), vCard 2.1 QUOTED-PRINTABLE soft line breaks
 * (`=` at the end, even across an empty line or a `#` line), 2.1 base64 data continued on
 * unindented lines, a trailing backslash that continues an address (Android), comment lines,
 * blank lines and cards nested inside the card (which are read as cards of their own).
 */
export interface ContentLine {
  text: string;
  /** 1-based line of the file where the logical line starts. */
  line: number;
}

const propertyStart = /^[A-Za-z0-9_.-]+[;:]/;
const cardMarker = /^(?:[^:;]*\.)?(begin|end)\s*:\s*vcard\s*$/i;

function paramsOf(text: string): string {
  const colon = text.indexOf(':');
  const semi = text.indexOf(';');
  if (semi === -1 || (colon !== -1 && colon < semi)) return '';
  return colon === -1 ? text.slice(semi) : text.slice(semi, colon);
}

function isQuotedPrintable(params: string): boolean {
  return params.length > 0 && /QUOTED-PRINTABLE/i.test(params);
}

function isBase64(params: string): boolean {
  return params.length > 0 && /(?:^|[;=,])\s*(?:BASE64|B)\s*(?=$|[;,])/i.test(params);
}

/**
 * A logical line being unfolded. Its pieces are joined once, when it is complete: looking at
 * the whole of a growing line on each of its thousands of folds (a large photo) would take
 * time in its length squared.
 */
class LogicalLine implements ContentLine {
  /** The line while it is one piece, as nearly every line is; joined once when asked for. */
  private joined: string;
  private pieces: string[] | undefined;
  /** Char code of the last character so far, -1 while empty. */
  private last: number;
  private colonSeen: boolean;

  constructor(
    first: string,
    readonly line: number,
  ) {
    this.joined = first;
    this.last = first.length > 0 ? first.charCodeAt(first.length - 1) : -1;
    this.colonSeen = first.includes(':');
  }

  /** Adds a piece; says whether it brought the line's first colon. */
  add(piece: string): boolean {
    if (piece.length === 0) return false;
    if (this.pieces === undefined) this.pieces = [this.joined];
    this.pieces.push(piece);
    this.last = piece.charCodeAt(piece.length - 1);
    if (this.colonSeen || !piece.includes(':')) return false;
    this.colonSeen = true;
    return true;
  }

  endsWith(code: number): boolean {
    return this.last === code;
  }

  /** Drops the last character (the `=` of a QUOTED-PRINTABLE soft line break). */
  dropLast(): void {
    const pieces = this.pieces ?? [this.joined];
    this.pieces = pieces;
    const piece = pieces.pop();
    if (piece === undefined) return;
    if (piece.length > 1) pieces.push(piece.slice(0, -1));
    const kept = pieces[pieces.length - 1];
    this.last = kept === undefined ? -1 : kept.charCodeAt(kept.length - 1);
  }

  get text(): string {
    if (this.pieces !== undefined) {
      this.joined = this.pieces.join('');
      this.pieces = undefined;
    }
    return this.joined;
  }
}

const equalsSign = 61;
const backslash = 92;

/** Physical lines unfolded between two pauses of a caller that reads in steps (some 1.5 MB of a photo). */
const linesPerStep = 20_000;

/**
 * Unfolds a card's text, pausing (a bare `yield`) after every `linesPerStep` physical lines,
 * so that a caller can give the event loop a turn inside a card with a large photo.
 */
export function* contentLineSteps(cardText: string, firstLine: number): Generator<void, ContentLine[], void> {
  const physical = physicalLines(cardText);
  const lines: LogicalLine[] = [];
  let current: LogicalLine | undefined;
  let inSoftBreak = false;
  let blankInSoftBreak = false;
  let base64 = false;
  /** The current line's parameters say QUOTED-PRINTABLE; undefined until its colon has been seen. */
  let quotedPrintable: boolean | undefined;
  let nested = 0;
  // The card's own BEGIN line is the first one; stop at its END.
  for (let index = 1; index < physical.length; index++) {
    if (index % linesPerStep === 0) yield;
    const text = physical[index] as string;
    const lineNumber = firstLine + index;
    if (inSoftBreak && current) {
      if (text.trim() === '') {
        blankInSoftBreak = true;
        continue;
      }
      if (!(blankInSoftBreak && (propertyStart.test(text) || cardMarker.test(text)))) {
        current.dropLast();
        if (current.add(text) && quotedPrintable === undefined)
          quotedPrintable = isQuotedPrintable(paramsOf(current.text));
        inSoftBreak = text.charCodeAt(text.length - 1) === equalsSign;
        blankInSoftBreak = false;
        continue;
      }
      inSoftBreak = false;
    }
    const first = text.charCodeAt(0);
    if (first === 32 || first === 9) {
      if (current && nested === 0) {
        const piece = base64 ? text.trim() : text.slice(1);
        // The parameters are looked up once per logical line, when its colon arrives.
        if (current.add(piece) && quotedPrintable === undefined)
          quotedPrintable = isQuotedPrintable(paramsOf(current.text));
        if (quotedPrintable) inSoftBreak = current.endsWith(equalsSign);
      }
      continue;
    }
    const trimmed = text.trim();
    if (trimmed === '') {
      base64 = false;
      continue;
    }
    if (first === 35 /* # */) continue;
    // Only a line ending in "d" can be BEGIN:VCARD or END:VCARD; most lines skip the regex.
    const marker = (trimmed.charCodeAt(trimmed.length - 1) | 0x20) === 100 ? cardMarker.exec(trimmed) : null;
    if (marker) {
      if ((marker[1] as string).toLowerCase() === 'begin') nested++;
      else if (nested > 0) nested--;
      else break;
      current = undefined;
      base64 = false;
      continue;
    }
    if (nested > 0) continue;
    if (!trimmed.includes(':') && current) {
      if (base64) {
        current.add(trimmed);
        continue;
      }
      if (current.endsWith(backslash)) {
        current.add(` ${trimmed}`);
        continue;
      }
    }
    current = new LogicalLine(text, lineNumber);
    lines.push(current);
    const params = paramsOf(text);
    base64 = isBase64(params);
    quotedPrintable = text.includes(':') ? isQuotedPrintable(params) : undefined;
    inSoftBreak = isQuotedPrintable(params) && text.charCodeAt(text.length - 1) === equalsSign;
    blankInSoftBreak = false;
  }
  return lines;
}

/** Splits at CR LF, LF, CR, and the CR CR LF that a CR LF file gets from a second conversion. */
function physicalLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) {
      lines.push(text.slice(start, i));
      start = i + 1;
    } else if (ch === 13) {
      lines.push(text.slice(start, i));
      if (text.charCodeAt(i + 1) === 10) i += 1;
      else if (text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) i += 2;
      start = i + 1;
    }
  }
  lines.push(text.slice(start));
  return lines;
}
