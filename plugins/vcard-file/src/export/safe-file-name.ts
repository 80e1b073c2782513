/**
 * Characters no file or ZIP entry name of an export may hold: what Windows refuses (`<>:"|?*`),
 * path separators, C0 and C1 controls, and the bidi marks and overrides (U+061C, U+200E/F,
 * U+202A–E, U+2066–9) that make `Rechnung‮fdp.vcf` look like another name in Explorer. A
 * lone surrogate goes too: it has no UTF-8 form a file system would keep.
 */
const unsafe = /[<>:"/\\|?*\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|\p{Cs}/gu;

/** Device names Windows resolves whatever the extension (`con.txt` is the console too). */
const reserved = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

/** ext4 and most others allow 255 bytes per name; this leaves room for ` (12345).vcf`. */
const maxBaseBytes = 200;

/**
 * A name for a file or ZIP entry, from a contact's name: readable where it can be
 * (`Müller, Anna`), safe on every file system crmsync's users copy it to. Returns the base
 * without extension; `fallback` when nothing of the text is left.
 */
export function safeBaseName(text: string, fallback: string): string {
  let base = text
    .normalize('NFC')
    .replace(unsafe, '_')
    .replace(/\s+/g, ' ')
    // Windows drops trailing dots and blanks; a leading dot hides a file elsewhere.
    .replace(/^[\s.]+|[\s.]+$/g, '');
  base = truncateUtf8(base, maxBaseBytes).replace(/[\s.]+$/, '');
  if (!base) return fallback;
  const stem = (base.split('.')[0] ?? '').trimEnd();
  return reserved.test(stem) ? `_${base}` : base;
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}
