import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** Windows-1252 is what Outlook and most Western desktop tools write when they say nothing. */
export const fallbackCharset = 'windows-1252';

/**
 * Names iconv-lite knows that cannot describe the 8-bit text of one vCard value: Node's
 * binary-to-text encodings and the multi-byte Unicode forms (a UTF-16 file is transcoded
 * as a whole before any card is read).
 */
const notAValueCharset =
  /^(?:base64|base64url|hex|ucs-?2|utf-?(?:16|32)(?:-?[lb]e)?|utf-?7(?:-?imap)?|cesu-?8)$/i;

export function knownCharset(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const trimmed = name.trim();
  if (!trimmed || notAValueCharset.test(trimmed)) return undefined;
  return iconv.encodingExists(trimmed) ? trimmed : undefined;
}

function isUtf8Name(name: string): boolean {
  return /^utf-?8$/i.test(name);
}

/**
 * Turns a value's bytes into text. Bytes that form valid UTF-8 with non-ASCII content are
 * read as UTF-8 even when a CHARSET parameter says otherwise: stale declarations are common
 * (files converted to UTF-8 by a later tool) while 8-bit text that happens to be valid UTF-8
 * is very rare. Otherwise the declared charset, then the card's hint, then Windows-1252.
 */
export function decodeBytes(
  bytes: Uint8Array,
  declared: string | undefined,
  hint: string | undefined,
): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let ascii = true;
  for (let i = 0; i < buffer.length; i++) {
    if ((buffer[i] as number) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return buffer.toString('latin1');
  if (isUtf8(buffer)) return buffer.toString('utf8');
  const charset = knownCharset(declared);
  // Declared UTF-8 that is broken (a cropped file) stays UTF-8: a wrong code page would garble every character.
  if (charset) return isUtf8Name(charset) ? buffer.toString('utf8') : iconv.decode(buffer, charset);
  return iconv.decode(buffer, hint ?? fallbackCharset);
}

/** The first non-UTF-8 charset a card names anywhere: producers that mix raw 8-bit text with one CHARSET= parameter mean it for the whole card. */
export function charsetHint(cardLatin1: string): string | undefined {
  const pattern = /CHARSET=("?)([^;:"]+)\1/gi;
  for (let match = pattern.exec(cardLatin1); match; match = pattern.exec(cardLatin1)) {
    const charset = knownCharset(match[2]);
    if (charset && !isUtf8Name(charset)) return charset;
  }
  return undefined;
}
