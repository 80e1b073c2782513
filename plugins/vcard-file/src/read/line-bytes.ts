/**
 * Byte-level looks at one line of a vCard file, for cutting a stream into cards before any
 * of it is decoded: which lines are BEGIN/END markers, which look like properties, and which
 * property holds a given byte.
 */
export const CR = 13;
export const LF = 10;

/** Longer than any BEGIN/END line can be. */
export const longestMarkerLine = 1024;

export type Marker = 'begin' | 'end' | 'other-begin' | 'other-end';

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
export function markerOf(
  bytes: Uint8Array,
  start: number,
  end: number,
  outside: boolean,
): Marker | undefined {
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

export function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if (byte !== 32 && byte !== 9 && byte !== 0xef && byte !== 0xbb && byte !== 0xbf) return false;
  }
  return true;
}

const propertyNamePattern = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)?$/;

/** `NAME:` or `NAME;` at the start of a line (with an optional group), as a property line begins. */
function propertyNameAt(bytes: Uint8Array, start: number, limit: number): string | undefined {
  let end = start;
  const stop = Math.min(limit, start + 80);
  while (end < stop && bytes[end] !== 58 && bytes[end] !== 59) end++;
  if (end === stop || end === start) return undefined;
  const name = latin1(bytes, start, end);
  return propertyNamePattern.test(name) ? name.slice(name.indexOf('.') + 1).toUpperCase() : undefined;
}

export function looksLikeProperty(bytes: Uint8Array, start: number, end: number): boolean {
  return propertyNameAt(bytes, start, end) !== undefined;
}

/**
 * Names the property in which a card passes the size limit (the one holding byte `at`), so
 * the problem can say which field made it too large. Folded lines and the unindented base64
 * lines of vCard 2.1 belong to the property they continue. The byte is the same however the
 * input is chunked, so the answer is too. Runs once per oversized card.
 */
export function propertyAt(bytes: Uint8Array, from: number, at: number): string | undefined {
  let position = Math.min(at, bytes.length - 1);
  while (position >= from) {
    let lineStart = position;
    while (lineStart > from && bytes[lineStart - 1] !== LF && bytes[lineStart - 1] !== CR) lineStart--;
    const first = bytes[lineStart];
    if (first !== 32 && first !== 9) {
      const name = propertyNameAt(bytes, lineStart, bytes.length);
      if (name !== undefined) return name;
    }
    position = lineStart - 1;
  }
  return undefined;
}

export function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
