/** Where one top-level card lies in a file's bytes: from its BEGIN line to past its END line. */
export interface CardRange {
  start: number;
  end: number;
  /** 1-based line of the BEGIN line. */
  line: number;
}

const CR = 13;
const LF = 10;

/**
 * The top-level cards of a file, found by their BEGIN:VCARD / END:VCARD lines (any case,
 * optionally grouped). Nested cards stay inside the card around them. Used to rewrite one
 * card of a multi-card file while every other byte of the file stays as it was.
 */
export function topLevelCardRanges(bytes: Uint8Array): CardRange[] {
  const ranges: CardRange[] = [];
  let depth = 0;
  let start = 0;
  let startLine = 0;
  let line = 1;
  let lineStart = 0;
  while (lineStart < bytes.length) {
    let contentEnd = lineStart;
    while (contentEnd < bytes.length && bytes[contentEnd] !== CR && bytes[contentEnd] !== LF) contentEnd++;
    const thisLine = line;
    let next = contentEnd;
    // Line breaks counted as the reader counts them, so that both name the same line:
    // LF, CR LF and CR CR LF are one break each, and every other CR is one of its own.
    while (next < bytes.length && (bytes[next] === CR || bytes[next] === LF)) {
      line++;
      if (bytes[next] === CR && bytes[next + 1] === LF) next += 2;
      else if (bytes[next] === CR && bytes[next + 1] === CR && bytes[next + 2] === LF) next += 3;
      else next++;
    }
    const marker = cardMarker(bytes, lineStart, contentEnd);
    if (marker === 'begin') {
      if (depth === 0) {
        start = lineStart;
        startLine = thisLine;
      }
      depth++;
    } else if (marker === 'end' && depth > 0) {
      depth--;
      if (depth === 0) ranges.push({ start, end: next, line: startLine });
    }
    if (next === contentEnd) break;
    lineStart = next;
  }
  return ranges;
}

function cardMarker(bytes: Uint8Array, start: number, end: number): 'begin' | 'end' | undefined {
  // A byte-order mark may precede the first line.
  if (bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) start += 3;
  if (end - start < 9 || end - start > 80) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
  const match = /^(?:[^:;]*\.)?(begin|end):\s*vcard\s*$/i.exec(text);
  if (!match) return undefined;
  return (match[1] as string).toLowerCase() === 'begin' ? 'begin' : 'end';
}
