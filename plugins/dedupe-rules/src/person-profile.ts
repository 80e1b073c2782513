import type { CountryCode } from 'libphonenumber-js';
import { colognePhonetic, foldName } from '../../../core/domain/similarity/index.js';
import type { Contact } from '../../../core/index.js';
import { emailKeysOf, phoneKeysOf, splitAddress } from './contact-keys.js';
import { isFreeMailDomain } from './free-mail-domains.js';
import { companyKey } from './legal-forms.js';
import { isRoleAddress } from './role-addresses.js';

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
  emails: string[];
  /** Local parts of the personal addresses. */
  localParts: string[];
  /** Domains that are not free-mail domains. */
  companyDomains: string[];
  phones: string[];
  company: string;
  /** `YYYYMMDD`, or `MMDD` when the year is unknown. */
  birthday: string;
  addresses: AddressProfile[];
}

export function personProfile(contact: Contact, region: CountryCode): PersonProfile {
  const all = emailKeysOf(contact);
  const personal = all.filter((address) => !isRoleAddress(splitAddress(address).local));
  return {
    given: namePart(contact.givenName),
    surname: namePart(contact.surname),
    emails: personal,
    localParts: personal.map((address) => splitAddress(address).local).filter((local) => local.length > 0),
    companyDomains: [
      ...new Set(
        all.map((address) => splitAddress(address).domain).filter((domain) => !isFreeMailDomain(domain)),
      ),
    ],
    phones: phoneKeysOf(contact, region),
    company: contact.company ? companyKey(contact.company) : '',
    birthday: birthdayDigits(contact.birthday),
    addresses: (contact.addresses ?? []).map(addressProfile).filter((address) => address !== undefined),
  };
}

function namePart(name: string | undefined): NamePart | undefined {
  const folded = foldName(name ?? '');
  return folded ? { folded, code: colognePhonetic(folded) } : undefined;
}

function birthdayDigits(birthday: string | undefined): string {
  const match = /^(?:(\d{4})|-)-?(\d{2})-?(\d{2})$/.exec(birthday?.trim() ?? '');
  return match ? `${match[1] ?? ''}${match[2]}${match[3]}` : '';
}

function addressProfile(address: Contact['addresses'][number]): AddressProfile | undefined {
  const words = foldName(address.street ?? '').split(' ');
  const houseNumber = words.filter((word) => /^\d/.test(word)).join(' ');
  const profile = {
    postcode: (address.postalCode ?? '').replace(/\s+/g, ''),
    city: foldName(address.city ?? ''),
    street: words.filter((word) => word && !/^\d/.test(word)).join(' '),
    houseNumber,
  };
  return profile.postcode || profile.city || profile.street ? profile : undefined;
}
