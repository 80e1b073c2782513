import {
  type Contact,
  type ErrorCode,
  emptyContact,
  type PostalAddress,
  toE164,
} from '../../../../core/index.js';
import { splitNamePrefix } from './name-prefix.js';
import { addressType, cleanLabel, emailType, phoneType } from './phone-email-types.js';
import type { PhotoReading } from './photo.js';
import { isPreferred, type Property, typesOf } from './property.js';
import { isPropertyLine, unknownLine } from './unknown-line.js';
import { type CardEncoding, components, type Dialect, listValues, textValue } from './value-text.js';
import { birthdayFrom, timestampFrom } from './vcard-date.js';

export interface CardFailure {
  code: ErrorCode;
  reason: string;
  line: number;
  field: string;
}

export type Mapped = { ok: true; contact: Contact } | { ok: false; failure: CardFailure };

/** Properties that describe the file rather than the person; the writer writes its own. */
const envelope = new Set(['VERSION', 'PRODID', 'BEGIN', 'END']);

/** Read by name even when the line around the name is odd (`.N:` of a stray group dot). */
const mappedNames = new Set([
  'N',
  'FN',
  'NICKNAME',
  'ORG',
  'TITLE',
  'ROLE',
  'EMAIL',
  'TEL',
  'ADR',
  'BDAY',
  'REV',
  'NOTE',
  'CATEGORIES',
  'URL',
  'UID',
  'X-CRMSYNC-ID',
  'PHOTO',
]);

export function dialectOf(properties: Property[]): Dialect {
  for (const property of properties) {
    if (property.name !== 'VERSION') continue;
    const version = property.value.trim();
    if (version.startsWith('2') || version.startsWith('1')) return '2.1';
    if (version.startsWith('4')) return '4.0';
    return '3.0';
  }
  // Without VERSION the 3.0 escaping rules are the likelier ones; 2.1 bare parameters are tolerated anyway.
  return '3.0';
}

/**
 * Maps one card's properties to a Contact. The first N, FN, ORG, TITLE, URL, BDAY, REV,
 * UID and PHOTO win; repeats and everything crmsync has no field for are kept as unknown
 * lines, so writing the contact back loses nothing. ROLE becomes the job title only when
 * the card has no TITLE (Outlook and some CRMs use it that way); otherwise it is kept.
 * Several NOTEs are joined with line breaks (the model has one notes field and a person
 * should see all of them); ORG units after the department are joined into it. VERSION and
 * PRODID describe the file, not the person, and are not kept: the writer writes its own.
 */
export function cardToContact(
  properties: Property[],
  encoding: CardEncoding,
  dialect: Dialect,
  readPhoto: (property: Property) => PhotoReading,
): Mapped {
  const contact = emptyContact();
  const unknown: string[] = [];
  const seen = new Set<string>();
  const labels = groupLabels(properties, encoding, dialect);
  const roles: Property[] = [];
  const notes: string[] = [];
  const categories = new Set<string>();
  let meaningful = false;
  const keep = (property: Property) => {
    if (isPropertyLine(property)) unknown.push(unknownLine(property, encoding, dialect));
  };
  const first = (property: Property): boolean => {
    if (seen.has(property.name)) {
      keep(property);
      return false;
    }
    seen.add(property.name);
    return true;
  };
  const label = (property: Property) =>
    property.group === undefined ? undefined : labels.get(property.group.toLowerCase());

  for (const property of properties) {
    const name = property.name;
    if (envelope.has(name)) continue;
    // A line that is not a property (see isPropertyLine) is neither kept nor counted as content.
    if (!mappedNames.has(name) && !isPropertyLine(property)) continue;
    meaningful = true;
    switch (name) {
      case 'N': {
        if (!property.value.trim() || !first(property)) break;
        const [surname, given, middle, prefix, suffix] = components(property, encoding, dialect).map((part) =>
          part.trim(),
        );
        if (surname) contact.surname = surname;
        if (given) contact.givenName = given;
        if (middle) contact.middleName = middle;
        if (suffix) contact.suffix = suffix;
        if (prefix) Object.assign(contact, splitNamePrefix(prefix));
        break;
      }
      case 'FN': {
        const value = textValue(property, encoding, dialect);
        if (value.trim() && first(property)) contact.displayName = value;
        break;
      }
      case 'NICKNAME': {
        const values = listValues(property, encoding, dialect)
          .map((value) => value.trim())
          .filter(Boolean);
        if (values.length > 0 && first(property)) contact.nickname = values.join(', ');
        break;
      }
      case 'ORG': {
        if (!property.value.trim() || !first(property)) break;
        const [company, ...units] = components(property, encoding, dialect).map((part) => part.trim());
        if (company) contact.company = company;
        const department = units.filter(Boolean).join(', ');
        if (department) contact.department = department;
        break;
      }
      case 'TITLE': {
        const value = textValue(property, encoding, dialect).trim();
        if (value && first(property)) contact.jobTitle = value;
        break;
      }
      case 'ROLE':
        if (property.value.trim()) roles.push(property);
        break;
      case 'EMAIL': {
        const address = textValue(property, encoding, dialect).trim();
        if (!address) break;
        const types = typesOf(property);
        const email: Contact['emails'][number] = { address, type: emailType(types, label(property)) };
        if (isPreferred(property, types)) email.preferred = true;
        contact.emails.push(email);
        break;
      }
      case 'TEL': {
        let number = textValue(property, encoding, dialect).trim();
        if (/^tel:/i.test(number)) number = number.slice(4);
        if (!number) break;
        const types = typesOf(property);
        const phone: Contact['phones'][number] = { number, type: phoneType(types, label(property)) };
        const e164 = toE164(number);
        if (e164) phone.e164 = e164;
        if (isPreferred(property, types)) phone.preferred = true;
        contact.phones.push(phone);
        break;
      }
      case 'ADR': {
        const address = postalAddress(property, encoding, dialect, label(property));
        if (address) contact.addresses.push(address);
        break;
      }
      case 'BDAY': {
        const birthday = seen.has(name) ? undefined : birthdayFrom(textValue(property, encoding, dialect));
        if (birthday) {
          seen.add(name);
          contact.birthday = birthday;
        } else if (property.value.trim()) keep(property);
        break;
      }
      case 'REV': {
        const updatedAt = seen.has(name) ? undefined : timestampFrom(textValue(property, encoding, dialect));
        if (updatedAt) {
          seen.add(name);
          contact.updatedAt = updatedAt;
        } else if (property.value.trim()) keep(property);
        break;
      }
      case 'NOTE': {
        const value = textValue(property, encoding, dialect);
        if (value.trim()) notes.push(value);
        break;
      }
      case 'CATEGORIES':
        for (const category of listValues(property, encoding, dialect)) {
          const trimmed = category.trim();
          // A set, not includes(): a line of many thousand categories must not take their number squared.
          if (trimmed && !categories.has(trimmed)) {
            categories.add(trimmed);
            contact.categories.push(trimmed);
          }
        }
        break;
      case 'URL': {
        const value = textValue(property, encoding, dialect).trim();
        if (value && first(property)) contact.website = value;
        break;
      }
      case 'UID': {
        const value = textValue(property, encoding, dialect).trim();
        if (value && first(property)) contact.ids.uid = value;
        break;
      }
      case 'X-CRMSYNC-ID': {
        const value = textValue(property, encoding, dialect).trim();
        if (value && first(property)) contact.ids.crmId = value;
        break;
      }
      case 'PHOTO': {
        if (contact.photo) {
          keep(property);
          break;
        }
        const reading = readPhoto(property);
        if (reading.kind === 'error') {
          return {
            ok: false,
            failure: { code: reading.code, reason: reading.reason, line: property.line, field: 'PHOTO' },
          };
        }
        if (reading.kind === 'photo') contact.photo = reading.photo;
        else if (reading.kind === 'keep') keep(property);
        break;
      }
      default:
        keep(property);
    }
  }
  for (const role of roles) {
    const value = textValue(role, encoding, dialect).trim();
    if (!contact.jobTitle && value) contact.jobTitle = value;
    else keep(role);
  }
  if (notes.length > 0) contact.notes = notes.join('\n');
  if (!meaningful) {
    const line = properties[0]?.line ?? 0;
    return {
      ok: false,
      failure: { code: 'CRMSYNC_ERR_VCARD_EMPTY', reason: 'the card has no properties', line, field: '' },
    };
  }
  if (unknown.length > 0) contact.extensions = { vcard: { unknown } };
  return { ok: true, contact };
}

function postalAddress(
  property: Property,
  encoding: CardEncoding,
  dialect: Dialect,
  label: string | undefined,
): PostalAddress | undefined {
  const [poBox, extended, street, city, region, postalCode, country] = components(
    property,
    encoding,
    dialect,
  ).map((part) => part.trim());
  const address: PostalAddress = { type: addressType(typesOf(property), label) };
  const streetLines = [poBox, extended, street].filter((part): part is string => Boolean(part));
  if (streetLines.length > 0) address.street = streetLines.join('\n');
  if (city) address.city = city;
  if (region) address.region = region;
  if (postalCode) address.postalCode = postalCode;
  if (country) address.country = country;
  return Object.keys(address).length > 1 ? address : undefined;
}

function groupLabels(properties: Property[], encoding: CardEncoding, dialect: Dialect): Map<string, string> {
  const labels = new Map<string, string>();
  for (const property of properties) {
    if (property.name !== 'X-ABLABEL' || property.group === undefined) continue;
    const text = cleanLabel(textValue(property, encoding, dialect));
    if (text) labels.set(property.group.toLowerCase(), text);
  }
  return labels;
}
