const CRLF = '\r\n';
/** RFC 2426 / 6350: lines longer than 75 octets are folded; a continuation starts with a space. */
const firstLineOctets = 75;
const continuationOctets = 74;

/**
 * A content line, folded at 75 octets of UTF-8 and terminated by CRLF. A fold never falls
 * inside a UTF-8 sequence (nor between the halves of a surrogate pair), so every physical
 * line is valid UTF-8 on its own.
 */
export function foldLine(line: string): string {
  // A UTF-16 code unit is at most 3 octets of UTF-8, so short lines need no measuring.
  if (line.length * 3 <= firstLineOctets) return line + CRLF;
  const octets = Buffer.byteLength(line, 'utf8');
  if (octets <= firstLineOctets) return line + CRLF;
  if (octets === line.length) return foldAscii(line);
  return foldUnicode(line);
}

function foldAscii(line: string): string {
  const parts = [line.slice(0, firstLineOctets)];
  for (let start = firstLineOctets; start < line.length; start += continuationOctets) {
    parts.push(line.slice(start, start + continuationOctets));
  }
  return parts.join(`${CRLF} `) + CRLF;
}

function foldUnicode(line: string): string {
  let out = '';
  let start = 0;
  let used = 0;
  let limit = firstLineOctets;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    let width: number;
    let units = 1;
    if (code < 0x80) width = 1;
    else if (code < 0x800) width = 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(line.charCodeAt(i + 1))) {
      width = 4;
      units = 2;
    } else width = 3;
    if (used + width > limit) {
      out += `${line.slice(start, i)}${CRLF} `;
      start = i;
      used = 0;
      limit = continuationOctets;
    }
    used += width;
    i += units - 1;
  }
  return out + line.slice(start) + CRLF;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
