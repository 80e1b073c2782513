import { decodeBytes } from './charset.js';
import { type Property, paramValue, paramValues } from './property.js';

/** How a card's text was obtained: as UTF-8, or byte for byte (latin1) because it is not valid UTF-8. */
export interface CardEncoding {
  /** Each char of the card text is one byte of the file. */
  binary: boolean;
  hint: string | undefined;
}

export type Dialect = '2.1' | '3.0' | '4.0';

export function isQuotedPrintable(property: Property): boolean {
  for (const value of paramValues(property, 'ENCODING'))
    if (value.toUpperCase() === 'QUOTED-PRINTABLE') return true;
  return false;
}

export function isBase64Encoded(property: Property): boolean {
  for (const value of paramValues(property, 'ENCODING')) {
    const upper = value.toUpperCase();
    if (upper === 'B' || upper === 'BASE64') return true;
  }
  return false;
}

/** The value as text: QUOTED-PRINTABLE and CHARSET decoded, escapes still in place. */
export function decodedValue(property: Property, encoding: CardEncoding): string {
  const qp = isQuotedPrintable(property);
  if (!qp && !encoding.binary) return property.value;
  const charset = paramValue(property, 'CHARSET');
  const bytes = Buffer.from(property.value, encoding.binary ? 'latin1' : 'utf8');
  if (!qp) return decodeBytes(bytes, charset, encoding.hint);
  // Outlook encodes line breaks as =0D=0A; the model uses plain \n.
  return decodeBytes(quotedPrintableBytes(bytes), charset, encoding.hint).replace(/\r\n?/g, '\n');
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

export function quotedPrintableBytes(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length);
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i] as number;
    if (byte === 61 /* = */) {
      const high = hexDigit(input[i + 1] ?? -1);
      const low = hexDigit(input[i + 2] ?? -1);
      if (high >= 0 && low >= 0) {
        out[length++] = high * 16 + low;
        i += 2;
        continue;
      }
      // A soft break left at the very end, or a stray "=" kept as written.
      if (i === input.length - 1) continue;
    }
    out[length++] = byte;
  }
  return out.subarray(0, length);
}

/**
 * Unescapes a vCard 3.0/4.0 text value (`\\`, `\n`, `\N`, `\,`, `\;`, and the common `\:`).
 * Built from slices between the escapes: appending character by character can take time in
 * the value's length squared once the engine has optimised the loop.
 */
export function unescapeText(value: string): string {
  let backslashAt = value.indexOf('\\');
  if (backslashAt === -1) return value;
  const pieces: string[] = [];
  let from = 0;
  while (backslashAt !== -1 && backslashAt < value.length - 1) {
    const next = value[backslashAt + 1] as string;
    const replacement =
      next === 'n' || next === 'N'
        ? '\n'
        : next === '\\' || next === ',' || next === ';' || next === ':'
          ? next
          : undefined;
    if (replacement === undefined) {
      // Not an escape: the backslash stays, and the next character is looked at on its own.
      backslashAt = value.indexOf('\\', backslashAt + 1);
      continue;
    }
    pieces.push(value.slice(from, backslashAt), replacement);
    from = backslashAt + 2;
    backslashAt = value.indexOf('\\', from);
  }
  pieces.push(value.slice(from));
  return pieces.join('');
}

/**
 * Splits on an unbackslashAtd separator. vCard 2.1 backslashAts only `;` (and `\\`, `\:` in practice);
 * other backslashes are literal, which matters for Shift_JIS and Windows paths.
 */
export function splitEscaped(value: string, separator: ';' | ',', dialect: Dialect): string[] {
  const parts: string[] = [];
  const separatorCode = separator.charCodeAt(0);
  let pieces: string[] = [];
  let from = 0;
  const finishPart = (end: number) => {
    pieces.push(value.slice(from, end));
    const part = pieces.length === 1 ? (pieces[0] as string) : pieces.join('');
    parts.push(dialect === '2.1' ? part : unescapeText(part));
    pieces = [];
  };
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 92 /* \\ */ && i < value.length - 1) {
      if (dialect !== '2.1') {
        // Kept as written for unescapeText, and the escaped character is no separator.
        i++;
        continue;
      }
      const next = value[i + 1] as string;
      if (next === ';' || next === '\\' || next === ':') {
        pieces.push(value.slice(from, i), next);
        from = i + 2;
        i++;
      }
      continue;
    }
    if (code === separatorCode) {
      finishPart(i);
      from = i + 1;
    }
  }
  finishPart(value.length);
  return parts;
}

/** A single text value in the card's dialect: vCard 2.1 has no escapes outside compound values. */
export function textValue(property: Property, encoding: CardEncoding, dialect: Dialect): string {
  const value = decodedValue(property, encoding);
  return dialect === '2.1' ? value : unescapeText(value);
}

export function components(property: Property, encoding: CardEncoding, dialect: Dialect): string[] {
  return splitEscaped(decodedValue(property, encoding), ';', dialect);
}

export function listValues(property: Property, encoding: CardEncoding, dialect: Dialect): string[] {
  return splitEscaped(decodedValue(property, encoding), ',', dialect);
}
