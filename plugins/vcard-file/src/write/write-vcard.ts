import { type Contact, type Photo, personName } from '../../../../core/index.js';
import { isKeptContentLine } from '../content-line.js';
import { withoutControlCharacters } from './control-characters.js';
import { escapeComponent, escapeText, oneLine, structuredValue } from './escape.js';
import { foldLine } from './fold.js';
import { stableUid } from './stable-uid.js';
import { addressParams, emailParams, phoneParams, photoTypeName, type VcardVersion } from './type-params.js';

export type { VcardVersion } from './type-params.js';

export interface WriteOptions {
  /** 3.0 (the default) is what Outlook imports best; 4.0 on request. */
  version?: VcardVersion;
}

/** The property that carries the CRM id (E5), so a re-imported card is recognised (I2). */
export const crmIdProperty = 'X-CRMSYNC-ID';
const productId = '-//crmsync//vcard-file//EN';

// The card's frame is the writer's own. Any other kept property is written back even when the
// writer wrote one of the same name: a reader takes the first as the field and keeps the
// repeat, so a round trip neither loses nor multiplies it.
const envelope = new Set(['BEGIN', 'END', 'VERSION', 'PRODID']);

/** One contact as a complete vCard: CRLF line ends, folded at 75 octets, UTF-8 ready. */
export function writeVCard(given: Contact, options: WriteOptions = {}): string {
  // Callers that report dropped characters clean first; this keeps every other writer safe.
  const contact = withoutControlCharacters(given).contact;
  const version = options.version ?? '3.0';
  const lines: string[] = ['BEGIN:VCARD', `VERSION:${version}`, `PRODID:${productId}`];

  const prefix = [contact.salutation, contact.title].filter(Boolean).join(' ');
  const hasName = Boolean(
    prefix || contact.givenName || contact.middleName || contact.surname || contact.suffix,
  );
  // vCard 3.0 requires N; 4.0 only when there is a name to give.
  if (version === '3.0' || hasName) {
    lines.push(
      `N:${structuredValue([contact.surname, contact.givenName, contact.middleName, prefix, contact.suffix])}`,
    );
  }
  lines.push(`FN:${escapeText(formattedName(contact))}`);
  if (contact.nickname) lines.push(`NICKNAME:${escapeText(contact.nickname)}`);
  if (contact.company || contact.department) {
    lines.push(
      `ORG:${structuredValue(contact.department ? [contact.company, contact.department] : [contact.company])}`,
    );
  }
  if (contact.jobTitle) lines.push(`TITLE:${escapeText(contact.jobTitle)}`);

  for (const phone of contact.phones) {
    // 3.0 readers (ical.js among them) unescape `\;` and `\,` in a phone number; 4.0 has it as text.
    const value = version === '3.0' ? escapeComponent(phone.number) : escapeText(phone.number);
    const valueParam = version === '4.0' ? ';VALUE=text' : '';
    lines.push(`TEL${valueParam}${phoneParams(phone.type, phone.preferred, version)}:${value}`);
  }
  for (const email of contact.emails) {
    lines.push(`EMAIL${emailParams(email.type, email.preferred, version)}:${escapeText(email.address)}`);
  }
  for (const address of contact.addresses) {
    const components = [
      '',
      '',
      address.street,
      address.city,
      address.region,
      address.postalCode,
      address.country,
    ];
    lines.push(`ADR${addressParams(address.type, version)}:${structuredValue(components)}`);
  }
  if (contact.website) {
    // Outlook files a URL without a type under "All Fields" only; WORK makes it the business web page.
    lines.push(
      version === '3.0' ? `URL;TYPE=WORK:${uri3(contact.website)}` : `URL:${escapeText(contact.website)}`,
    );
  }
  if (contact.birthday) lines.push(birthdayLine(contact.birthday, version));
  if (contact.notes) lines.push(`NOTE:${escapeText(contact.notes)}`);
  if (contact.categories.length) {
    lines.push(`CATEGORIES:${contact.categories.map(escapeText).join(',')}`);
  }
  if (contact.photo) {
    const line = photoLine(contact.photo, version);
    if (line) lines.push(line);
  }
  lines.push(`UID:${escapeText(stableUid(contact))}`);
  if (contact.ids.crmId) lines.push(`${crmIdProperty}:${escapeText(contact.ids.crmId)}`);
  const revision = contact.updatedAt ? revisionValue(contact.updatedAt, version) : undefined;
  if (revision) lines.push(`REV:${revision}`);

  for (const line of keptLines(contact)) {
    if (!envelope.has(propertyName(line))) lines.push(line);
  }
  lines.push('END:VCARD');

  let card = '';
  for (const line of lines) card += foldLine(line);
  return card;
}

/** Card after card, so that a 100,000-contact export never holds more than one card. */
export async function* writeVCards(
  contacts: AsyncIterable<Contact> | Iterable<Contact>,
  options: WriteOptions = {},
): AsyncIterable<string> {
  for await (const contact of contacts) yield writeVCard(contact, options);
}

/** FN as the source gave it, else derived from the name, else the company or e-mail. */
export function formattedName(contact: Contact): string {
  if (contact.displayName) return contact.displayName;
  const name = personName(contact);
  return name || contact.company || contact.emails[0]?.address || '';
}

function birthdayLine(birthday: string, version: VcardVersion): string {
  const full = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthday);
  if (full) return version === '3.0' ? `BDAY:${birthday}` : `BDAY:${full[1]}${full[2]}${full[3]}`;
  const noYear = /^--(\d{2})-?(\d{2})$/.exec(birthday);
  if (noYear)
    return version === '3.0' ? `BDAY:--${noYear[1]}-${noYear[2]}` : `BDAY:--${noYear[1]}${noYear[2]}`;
  // Not a date crmsync understands: kept as the text it is rather than dropped.
  return version === '3.0' ? `BDAY:${escapeText(birthday)}` : `BDAY;VALUE=text:${escapeText(birthday)}`;
}

function revisionValue(timestamp: string, version: VcardVersion): string | undefined {
  // Kept as given (a floating time stays floating); only the form differs between versions.
  const parts = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(
    timestamp,
  );
  if (parts) {
    if (version === '3.0') return timestamp;
    const [, year, month, day, hour, minute, second, , zone] = parts;
    const date = `${year}${month}${day}`;
    return hour === undefined ? date : `${date}T${hour}${minute}${second}${(zone ?? '').replace(':', '')}`;
  }
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) return undefined;
  const iso = new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return version === '3.0' ? iso : iso.replace(/[-:]/g, '');
}

function photoLine(photo: Photo, version: VcardVersion): string | undefined {
  if (photo.bytes?.length) {
    const base64 = Buffer.from(photo.bytes.buffer, photo.bytes.byteOffset, photo.bytes.byteLength).toString(
      'base64',
    );
    if (version === '3.0') return `PHOTO;ENCODING=b${mediaTypeParam(photo.mediaType, version)}:${base64}`;
    return `PHOTO:data:${oneLine(photo.mediaType || 'image/jpeg')};base64,${base64}`;
  }
  if (photo.url) {
    // A reference stays a reference: crmsync never fetches it. A URI is written unescaped.
    const type = photo.mediaType ? mediaTypeParam(photo.mediaType, version) : '';
    return `PHOTO;VALUE=uri${type}:${oneLine(photo.url)}`;
  }
  return undefined;
}

/**
 * A vCard 3.0 URI: unescaped, since ical.js and others take it raw and a query string's commas
 * must survive; only a backslash is doubled so that no `\n` in it reads as a line break.
 */
function uri3(value: string): string {
  return oneLine(value).replace(/\\/g, '\\\\');
}

function mediaTypeParam(mediaType: string, version: VcardVersion): string {
  const clean = mediaType.replace(/[^A-Za-z0-9!#$&^_.+/-]/g, '');
  if (!clean) return '';
  return version === '3.0' ? `;TYPE=${photoTypeName(clean)}` : `;MEDIATYPE=${clean.toLowerCase()}`;
}

/** Unknown properties of the source card, kept verbatim (one unfolded content line each). */
function keptLines(contact: Contact): string[] {
  const vcard = contact.extensions?.vcard as { unknown?: unknown } | undefined;
  if (!vcard || !Array.isArray(vcard.unknown)) return [];
  // A line break inside a kept line would end the card early or smuggle in a property, and
  // a leading blank would make it a continuation of the line before.
  return vcard.unknown
    .filter((line): line is string => typeof line === 'string' && !/[\r\n]/.test(line))
    .map((line) => line.replace(/^[ \t]+/, ''))
    .filter((line) => isKeptContentLine(line));
}

/** `item1.X-ABLabel;TYPE=x:Work` → `X-ABLABEL`. */
function propertyName(line: string): string {
  const name = /^[^;:]*/.exec(line)?.[0] ?? '';
  return name
    .slice(name.lastIndexOf('.') + 1)
    .trim()
    .toUpperCase();
}
