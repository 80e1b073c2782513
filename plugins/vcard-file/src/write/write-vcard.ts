import type { Contact, Photo } from '../../../../core/index.js';
import { escapePhoneNumber3, escapeText, oneLine, structuredValue } from './escape.js';
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

// Properties the writer always emits exactly once: a kept copy from the source would
// otherwise appear twice after a round trip.
const ownedOnce = new Set(['BEGIN', 'END', 'VERSION', 'PRODID', 'UID', 'FN', 'N', crmIdProperty]);
// Single-valued properties the writer emits only when the contact has the field.
const ownedWhenWritten = new Set([
  'ORG',
  'TITLE',
  'BDAY',
  'REV',
  'NICKNAME',
  'NOTE',
  'URL',
  'CATEGORIES',
  'PHOTO',
]);

/** One contact as a complete vCard: CRLF line ends, folded at 75 octets, UTF-8 ready. */
export function writeVCard(contact: Contact, options: WriteOptions = {}): string {
  const version = options.version ?? '3.0';
  const lines: string[] = ['BEGIN:VCARD', `VERSION:${version}`, `PRODID:${productId}`];
  const written = new Set<string>();
  const add = (name: string, line: string) => {
    written.add(name);
    lines.push(line);
  };

  const prefix = [contact.salutation, contact.title].filter(Boolean).join(' ');
  const hasName = Boolean(
    prefix || contact.givenName || contact.middleName || contact.surname || contact.suffix,
  );
  // vCard 3.0 requires N; 4.0 only when there is a name to give.
  if (version === '3.0' || hasName) {
    add(
      'N',
      `N:${structuredValue([contact.surname, contact.givenName, contact.middleName, prefix, contact.suffix])}`,
    );
  }
  add('FN', `FN:${escapeText(formattedName(contact))}`);
  if (contact.nickname) add('NICKNAME', `NICKNAME:${escapeText(contact.nickname)}`);
  if (contact.company || contact.department) {
    add(
      'ORG',
      `ORG:${structuredValue(contact.department ? [contact.company, contact.department] : [contact.company])}`,
    );
  }
  if (contact.jobTitle) add('TITLE', `TITLE:${escapeText(contact.jobTitle)}`);

  for (const phone of contact.phones) {
    const value = version === '3.0' ? escapePhoneNumber3(phone.number) : escapeText(phone.number);
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
    add('URL', `URL:${version === '3.0' ? oneLine(contact.website) : escapeText(contact.website)}`);
  }
  if (contact.birthday) add('BDAY', birthdayLine(contact.birthday, version));
  if (contact.notes) add('NOTE', `NOTE:${escapeText(contact.notes)}`);
  if (contact.categories.length) {
    add('CATEGORIES', `CATEGORIES:${contact.categories.map(escapeText).join(',')}`);
  }
  if (contact.photo) {
    const line = photoLine(contact.photo, version);
    if (line) add('PHOTO', line);
  }
  add('UID', `UID:${escapeText(stableUid(contact))}`);
  // Written unescaped: readers treat an X- property's value as raw text, so an escaped
  // comma would come back with its backslash.
  if (contact.ids.crmId) add(crmIdProperty, `${crmIdProperty}:${oneLine(contact.ids.crmId)}`);
  const revision = contact.updatedAt ? revisionValue(contact.updatedAt, version) : undefined;
  if (revision) add('REV', `REV:${revision}`);

  for (const line of keptLines(contact)) {
    const name = propertyName(line);
    if (!name || ownedOnce.has(name) || (ownedWhenWritten.has(name) && written.has(name))) continue;
    lines.push(line);
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
  const name = [
    contact.salutation,
    contact.title,
    contact.givenName,
    contact.middleName,
    contact.surname,
    contact.suffix,
  ]
    .filter(Boolean)
    .join(' ');
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
    if (version === '3.0') return `PHOTO;ENCODING=b;TYPE=${photoTypeName(photo.mediaType)}:${base64}`;
    return `PHOTO:data:${oneLine(photo.mediaType || 'image/jpeg')};base64,${base64}`;
  }
  if (photo.url) {
    return version === '3.0' ? `PHOTO;VALUE=uri:${oneLine(photo.url)}` : `PHOTO:${escapeText(photo.url)}`;
  }
  return undefined;
}

/** Unknown properties of the source card, kept verbatim (one unfolded content line each). */
function keptLines(contact: Contact): string[] {
  const vcard = contact.extensions?.vcard as { unknown?: unknown } | undefined;
  if (!vcard || !Array.isArray(vcard.unknown)) return [];
  // A line break inside a kept line would end the card early or smuggle in a property.
  return vcard.unknown.filter((line): line is string => typeof line === 'string' && !/[\r\n]/.test(line));
}

/** `item1.X-ABLabel;TYPE=x:Work` → `X-ABLABEL`; undefined for a line that is no property. */
function propertyName(line: string): string | undefined {
  const match = /^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)[;:]/.exec(line);
  return match?.[1]?.toUpperCase();
}
