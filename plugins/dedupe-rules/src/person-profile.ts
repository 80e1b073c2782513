import type { CountryCode } from 'libphonenumber-js';
import { colognePhonetic, foldName } from '../../../core/domain/similarity/index.js';
import type { Contact } from '../../../core/index.js';
import { emailKeysOf, personalEmailKeysOf, phoneKeysOf } from './contact-keys.js';
import { localPartsOf, splitAddress } from './email-parts.js';
import { isFreeMailDomain } from './free-mail-domains.js';
import { companyKey } from './legal-forms.js';

/** One name part, folded and coded, ready for the string measures. */
export interface NamePart {
  folded: string;
  /** Kölner Phonetik of the folded name. */
  code: string;
}

export interface AddressProfile {
  postcode: string;
  city: string;
  /** The street without house number, folded. */
  street: string;
  houseNumber: string;
}

/** What the possible-person rule compares of a contact, computed once per contact. */
export interface PersonProfile {
  given?: NamePart;
  surname?: NamePart;
  /** Personal addresses: not info@, office@ and the like, which a whole office shares. */
  emails: readonly string[];
  /** Local parts of the personal addresses. */
  localParts: readonly string[];
  /** Domains that are not free-mail domains. */
  companyDomains: readonly string[];
  phones: readonly string[];
  company: string;
  /** `YYYYMMDD`, or `MMDD` when the year is unknown. */
  birthday: string;
  addresses: AddressProfile[];
}

export function personProfile(contact: Contact, region: CountryCode): PersonProfile {
  const all = emailKeysOf(contact);
  const personal = personalEmailKeysOf(contact);
  return {
    given: namePart(contact.givenName),
    surname: namePart(contact.surname),
    emails: personal,
    localParts: localPartsOf(personal),
    companyDomains: [
      ...new Set(
        all.map((address) => splitAddress(address).domain).filter((domain) => !isFreeMailDomain(domain)),
      ),
    ],
    phones: phoneKeysOf(contact, region),
    company: contact.company ? memoised(companies, contact.company, companyKey) : '',
    birthday: birthdayDigits(contact.birthday),
    addresses: (contact.addresses ?? []).map(addressProfile).filter((address) => address !== undefined),
  };
}

/** A name folded as `foldName` does it, each spelling once. */
export function foldedName(name: string | undefined): string {
  return namePart(name)?.folded ?? '';
}

/** "Hauptstraße 12a" → street "hauptstrasse", house number "12a"; street names repeat, numbers vary. */
function streetParts(street: string): { street: string; houseNumber: string } {
  // Words that begin with a digit make the house number, the others the street's name.
  let name = '';
  let houseNumber = '';
  for (const word of street.split(/[\s,]+/)) {
    if (!word) continue;
    const first = word.charCodeAt(0);
    if (first >= 48 && first <= 57) houseNumber = houseNumber ? `${houseNumber} ${word}` : word;
    else name = name ? `${name} ${word}` : word;
  }
  return { street: memoised(streets, name, foldName), houseNumber: houseNumber.toLowerCase() };
}

function postcodeOf(address: Contact['addresses'][number]): string {
  return (address.postalCode ?? '').replace(/\s+/g, '');
}

const companies = new Map<string, string>();
const streets = new Map<string, string>();
const places = new Map<string, string>();

/** Companies, streets and cities repeat across contacts; each spelling is folded once. */
function memoised<T>(memo: Map<string, T>, text: string, fold: (text: string) => T): T {
  let folded = memo.get(text);
  if (folded === undefined) {
    folded = fold(text);
    if (memo.size >= memoLimit) memo.clear();
    memo.set(text, folded);
  }
  return folded;
}

const memoLimit = 100_000;

/**
 * Names repeat (a million contacts have a few thousand surnames), so each spelling is folded
 * and coded once and its parts shared; the memo starts over when full to bound its size.
 */
const nameParts = new Map<string, NamePart | undefined>();

function namePart(name: string | undefined): NamePart | undefined {
  if (!name) return undefined;
  if (nameParts.has(name)) return nameParts.get(name);
  const folded = foldName(name);
  const part = folded ? { folded, code: colognePhonetic(folded) } : undefined;
  if (nameParts.size >= memoLimit) nameParts.clear();
  nameParts.set(name, part);
  return part;
}

function birthdayDigits(birthday: string | undefined): string {
  const match = /^(?:(\d{4})|-)-?(\d{2})-?(\d{2})$/.exec(birthday?.trim() ?? '');
  return match ? `${match[1] ?? ''}${match[2]}${match[3]}` : '';
}

function addressProfile(address: Contact['addresses'][number]): AddressProfile | undefined {
  const { street, houseNumber } = streetParts(address.street ?? '');
  const profile = {
    postcode: postcodeOf(address),
    city: memoised(places, address.city ?? '', foldName),
    street,
    houseNumber,
  };
  return profile.postcode || profile.city || profile.street ? profile : undefined;
}
