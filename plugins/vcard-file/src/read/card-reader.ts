import { isUtf8 } from 'node:buffer';
import * as crypto from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Contact, Fetched } from '../../../../core/index.js';
import type { DeepNesting, RawCard, SplitItem, StrayContent } from './card-splitter.js';
import { cardToContact, dialectOf } from './card-to-contact.js';
import { charsetHint } from './charset.js';
import { type ContentLine, contentLineSteps } from './content-lines.js';
import { type PhotoReading, readPhoto } from './photo.js';
import { type Property, parseProperty } from './property.js';
import { isPropertyLine } from './unknown-line.js';

export interface CardLimits {
  file: string | undefined;
  maxCardBytes: number;
  maxPhotoBytes: number;
}

/**
 * The work of reading one card, in steps. Read in one piece, a card with a large photo holds
 * the event loop for well over 100 ms (unfolding, base64, hashing); the streaming reader gives
 * the event loop a turn between the steps, the in-memory reader runs them straight through.
 */
type Steps<T> = Generator<void, T, void>;

/**
 * One item of the splitter as what the caller sees: a contact, or a located problem, or, for
 * a card cut off by the end of the file, the contact read from it and a problem saying so.
 */
export function toFetched(item: SplitItem, limits: CardLimits): Fetched<Contact>[] {
  const steps = fetchedSteps(item, limits);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** The same, with a turn of the event loop between the steps of reading the card. */
export async function toFetchedInTurns(item: SplitItem, limits: CardLimits): Promise<Fetched<Contact>[]> {
  const steps = fetchedSteps(item, limits);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await nextTurn();
  }
}

function* fetchedSteps(item: SplitItem, limits: CardLimits): Steps<Fetched<Contact>[]> {
  const file = limits.file;
  const where = (extra: { card?: number; line: number; field?: string }) => {
    const location: { file?: string; card?: number; line: number; field?: string } = { line: extra.line };
    if (file !== undefined) location.file = file;
    if (extra.card !== undefined) location.card = extra.card;
    if (extra.field) location.field = extra.field;
    return location;
  };
  if (item.kind === 'stray') {
    return [
      {
        ok: false,
        problem: {
          code: 'CRMSYNC_ERR_VCARD_OUTSIDE_CARD',
          message: strayMessage(item.stray),
          location: where({ line: item.stray.line }),
        },
      },
    ];
  }
  if (item.kind === 'nested') {
    const { nested } = item;
    return [
      {
        ok: false,
        problem: {
          code: 'CRMSYNC_ERR_VCARD_NESTED',
          message: nestedMessage(nested),
          location: where({ card: nested.card, line: nested.line }),
        },
      },
    ];
  }
  if (item.kind === 'oversized') {
    const { field } = item.card;
    const largest = field ? `; its largest property is ${field}` : '';
    return [
      {
        ok: false,
        problem: {
          code: 'CRMSYNC_ERR_VCARD_TOO_LARGE',
          message: `the card is larger than the limit of ${limits.maxCardBytes} bytes and is skipped${largest}; to import it, raise maxCardBytes in config/plugins/vcard-file.json`,
          location: where({ card: item.card.card, line: item.card.line, ...(field ? { field } : {}) }),
        },
      },
    ];
  }
  const raw = item.card;
  const results: Fetched<Contact>[] = [];
  let cut: CutLine | undefined;
  try {
    const read = yield* readCard(raw, limits.maxPhotoBytes);
    cut = read.cut;
    const { mapped } = read;
    const emptyAfterCut = !mapped.ok && mapped.failure.code === 'CRMSYNC_ERR_VCARD_EMPTY' && raw.truncated;
    if (mapped.ok) results.push({ ok: true, value: mapped.contact });
    else if (!emptyAfterCut) {
      const { failure } = mapped;
      results.push({
        ok: false,
        problem: {
          code: failure.code,
          message: failure.reason,
          location: where({ card: raw.card, line: failure.line || raw.line, field: failure.field }),
        },
      });
    }
  } catch (error) {
    results.push({
      ok: false,
      problem: {
        code: 'CRMSYNC_ERR_VCARD_UNREADABLE',
        message: `the card cannot be read: ${error instanceof Error ? error.message : String(error)}`,
        location: where({ card: raw.card, line: raw.line }),
      },
    });
  }
  if (raw.truncated) {
    const imported = results.some((result) => result.ok);
    results.push({
      ok: false,
      problem: {
        code: 'CRMSYNC_ERR_VCARD_TRUNCATED',
        message: truncationMessage(raw, cut, imported),
        location: where({ card: raw.card, line: raw.line, ...(cut?.name ? { field: cut.name } : {}) }),
      },
    });
  }
  return results;
}

/** The last line of a card cut off by the end of the file, which is dropped because it may be incomplete. */
interface CutLine {
  line: number;
  /** The property's name, when the line is a property. */
  name?: string;
  text: string;
}

function* readCard(raw: RawCard, maxPhotoBytes: number) {
  const buffer = Buffer.from(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength);
  // Not valid UTF-8: read byte for byte and decode each value with the charset it declares.
  const binary = !isUtf8(buffer);
  const text = buffer.toString(binary ? 'latin1' : 'utf8');
  const hint = /charset=/i.test(text) ? charsetHint(binary ? text : buffer.toString('latin1')) : undefined;
  yield;
  const lines = yield* contentLineSteps(text, raw.line);
  yield;
  // Without END:VCARD nothing says the last line is complete: a cut-off NOTE or base64 PHOTO
  // would otherwise be imported as a shorter, wrong value. A card cut short by the next
  // card's BEGIN line is different: that line proves the one before it ended.
  const cut = raw.truncated && !raw.cutBy ? cutLine(lines.pop()) : undefined;
  const properties = lines.map((line) => parseProperty(line.text, line.line));
  // The photo, the card's largest value by far, is decoded in a step of its own.
  const photo = properties.find((property) => property.name === 'PHOTO');
  let photoReading: PhotoReading | undefined;
  if (photo) {
    yield;
    photoReading = readPhoto(photo, maxPhotoBytes);
    yield;
  }
  const readPhotoOnce = (property: Property) =>
    property === photo && photoReading ? photoReading : readPhoto(property, maxPhotoBytes);
  const mapped = cardToContact(properties, { binary, hint }, dialectOf(properties), readPhotoOnce);
  if (mapped.ok) {
    yield;
    mapped.contact.ids.groupwareVersion = sha256(buffer);
  }
  return { mapped, cut };
}

/** One-shot hashing where Node has it (20.12 and later): a third of createHash's cost per card. */
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'hex') => string }).hash;

function sha256(bytes: Uint8Array): string {
  return oneShot ? oneShot('sha256', bytes, 'hex') : crypto.createHash('sha256').update(bytes).digest('hex');
}

function cutLine(line: ContentLine | undefined): CutLine | undefined {
  if (!line) return undefined;
  const property = parseProperty(line.text, line.line);
  const cut: CutLine = { line: line.line, text: line.text.slice(0, 40) };
  if (isPropertyLine(property)) cut.name = property.name;
  return cut;
}

function truncationMessage(raw: RawCard, cut: CutLine | undefined, imported: boolean): string {
  if (raw.cutBy) {
    const where = `card ${raw.card} (from line ${raw.line}) has no END:VCARD; it ends where card ${raw.cutBy.card} begins at line ${raw.cutBy.line}`;
    return (
      where +
      (imported ? '; its lines up to there are imported' : '; nothing is in it, so it is not imported')
    );
  }
  const where = `the file ends at line ${raw.lastLine} inside the card that starts at line ${raw.line} (there is no END:VCARD)`;
  const dropped = !cut
    ? ''
    : cut.name
      ? `; its last property ${cut.name} (line ${cut.line}) may be cut off and is dropped`
      : `; its unfinished last line "${cut.text}" (line ${cut.line}) is dropped`;
  const outcome = imported
    ? '; the rest of the card is imported'
    : '; nothing else is left in it, so it is not imported';
  return where + dropped + outcome;
}

function nestedMessage(nested: DeepNesting): string {
  return (
    `card ${nested.card} (line ${nested.line}) begins inside card ${nested.inside.card} (line ${nested.inside.line}), ` +
    `which is itself embedded in card ${nested.outer.card} (line ${nested.outer.line}); a card can embed one card ` +
    `(as a vCard 2.1 AGENT does) but no deeper, so from line ${nested.line} on each card was read as ending where ` +
    `the next one begins, and END:VCARD lines from line ${nested.endLine} on that close no card are ignored`
  );
}

function strayMessage(stray: StrayContent): string {
  const quoted = `("${stray.text}")`;
  const indented = /^[ \t]+(?:[^:;]*\.)?begin\s*:\s*vcard\s*$/i.test(stray.text);
  if (stray.endLine !== undefined || stray.propertyLike || indented) {
    const end = stray.endLine !== undefined ? ` up to END:VCARD at line ${stray.endLine}` : '';
    const why = indented ? ': its BEGIN:VCARD line is indented, which makes it a continuation line' : '';
    return `a card without BEGIN:VCARD at line ${stray.line} is not imported${why}; the text from line ${stray.line}${end} is ignored ${quoted}`;
  }
  return `text outside BEGIN:VCARD … END:VCARD is ignored ${quoted}`;
}
