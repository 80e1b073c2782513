import iconv from 'iconv-lite';

/**
 * Brings any input to a stream of UTF-8 or 8-bit bytes without a byte-order mark. UTF-16
 * files (Windows "Unicode" exports, with or without BOM) are transcoded to UTF-8 on the fly;
 * everything else passes through untouched, because 8-bit code pages are only known per
 * property (CHARSET=) and are decoded later, card by card.
 */
export async function* normaliseInput(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let head: Uint8Array = new Uint8Array(0);
  let decoder: { write(b: Buffer): string; end(): string | undefined } | undefined;
  let decided = false;
  for await (const chunk of source) {
    if (!decided) {
      head = concat(head, chunk);
      if (head.length < 4) continue;
      decided = true;
      const detected = detect(head);
      if (detected.utf16) decoder = iconv.getDecoder(detected.utf16) as typeof decoder;
      const rest = head.subarray(detected.bomLength);
      head = new Uint8Array(0);
      if (decoder) yield Buffer.from(decoder.write(Buffer.from(rest)), 'utf8');
      else if (rest.length > 0) yield rest;
      continue;
    }
    if (decoder)
      yield Buffer.from(decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)), 'utf8');
    else yield chunk;
  }
  if (!decided && head.length > 0) {
    const detected = detect(head);
    const rest = head.subarray(detected.bomLength);
    if (detected.utf16) yield Buffer.from(iconv.decode(Buffer.from(rest), detected.utf16), 'utf8');
    else if (rest.length > 0) yield rest;
    return;
  }
  const tail = decoder?.end();
  if (tail) yield Buffer.from(tail, 'utf8');
}

export function detect(head: Uint8Array): { utf16?: 'utf-16le' | 'utf-16be'; bomLength: number } {
  const [a, b, c, d] = [head[0], head[1], head[2], head[3]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return { bomLength: 3 };
  if (a === 0xff && b === 0xfe) return { utf16: 'utf-16le', bomLength: 2 };
  if (a === 0xfe && b === 0xff) return { utf16: 'utf-16be', bomLength: 2 };
  // No BOM: "BE" of BEGIN with a zero byte before or after each letter.
  if (a === 0 && b !== 0 && c === 0 && d !== 0) return { utf16: 'utf-16be', bomLength: 0 };
  if (a !== 0 && b === 0 && c !== 0 && d === 0) return { utf16: 'utf-16le', bomLength: 0 };
  return { bomLength: 0 };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

/** The same for an input that is already in memory. */
export function normaliseWhole(bytes: Uint8Array): Uint8Array {
  const detected = detect(bytes);
  const rest = bytes.subarray(detected.bomLength);
  return detected.utf16 ? Buffer.from(iconv.decode(Buffer.from(rest), detected.utf16), 'utf8') : rest;
}
