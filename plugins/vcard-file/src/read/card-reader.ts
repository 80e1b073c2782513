import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { Contact, Fetched } from '../../../../core/index.js';
import type { RawCard, SplitItem } from './card-splitter.js';
import { cardToContact, dialectOf } from './card-to-contact.js';
import { charsetHint } from './charset.js';
import { contentLines } from './content-lines.js';
import { parseProperty } from './property.js';

export interface CardLimits {
  file: string | undefined;
  maxCardBytes: number;
  maxPhotoBytes: number;
}

/** One item of the splitter as what the caller sees: a contact, or a located problem. */
export function toFetched(item: SplitItem, limits: CardLimits): Fetched<Contact> {
  const file = limits.file;
  const where = (extra: { card?: number; line: number; field?: string }) => {
    const location: { file?: string; card?: number; line: number; field?: string } = { line: extra.line };
    if (file !== undefined) location.file = file;
    if (extra.card !== undefined) location.card = extra.card;
    if (extra.field) location.field = extra.field;
    return location;
  };
  if (item.kind === 'stray') {
    return {
      ok: false,
      problem: {
        code: 'CRMSYNC_ERR_VCARD_OUTSIDE_CARD',
        message: `text outside BEGIN:VCARD … END:VCARD is ignored ("${item.stray.text}")`,
        location: where({ line: item.stray.line }),
      },
    };
  }
  if (item.kind === 'oversized') {
    return {
      ok: false,
      problem: {
        code: 'CRMSYNC_ERR_VCARD_TOO_LARGE',
        message: `the card is larger than the limit of ${limits.maxCardBytes} bytes and is skipped`,
        location: where({ card: item.card.card, line: item.card.line }),
      },
    };
  }
  const raw = item.card;
  try {
    const mapped = readCard(raw, limits.maxPhotoBytes);
    if (mapped.ok) return { ok: true, value: mapped.contact };
    const { failure } = mapped;
    return {
      ok: false,
      problem: {
        code: failure.code,
        message: failure.reason,
        location: where({ card: raw.card, line: failure.line || raw.line, field: failure.field }),
      },
    };
  } catch (error) {
    return {
      ok: false,
      problem: {
        code: 'CRMSYNC_ERR_VCARD_UNREADABLE',
        message: `the card cannot be read: ${error instanceof Error ? error.message : String(error)}`,
        location: where({ card: raw.card, line: raw.line }),
      },
    };
  }
}

function readCard(raw: RawCard, maxPhotoBytes: number) {
  const buffer = Buffer.from(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength);
  // Not valid UTF-8: read byte for byte and decode each value with the charset it declares.
  const binary = !isUtf8(buffer);
  const text = buffer.toString(binary ? 'latin1' : 'utf8');
  const hint = /charset=/i.test(text) ? charsetHint(binary ? text : buffer.toString('latin1')) : undefined;
  const properties = contentLines(text, raw.line).map((line) => parseProperty(line.text, line.line));
  const mapped = cardToContact(properties, { binary, hint }, dialectOf(properties), maxPhotoBytes);
  if (mapped.ok) mapped.contact.ids.groupwareVersion = createHash('sha256').update(buffer).digest('hex');
  return mapped;
}
