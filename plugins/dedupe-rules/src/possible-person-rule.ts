import type { CountryCode } from 'libphonenumber-js';
import type { Contact, DedupeFinding, DedupeRule } from '../../../core/index.js';
import { LastDerived } from './last-derived.js';
import { type PackedProfile, packProfile } from './packed-profile.js';
import { personProfile } from './person-profile.js';
import {
  comparePersons,
  daysOf,
  type PersonComparison,
  possibleThreshold,
  reachesScore,
} from './person-score.js';
import { mayMatch } from './possible-person-screen.js';

/**
 * Possible duplicate: two records that are likely one person, by names that are spelt or
 * sound alike (also swapped, or as a nickname), weighed with birthday, address, phone
 * numbers, e-mail and company (`person-score.ts`). Its blocking keys: the sounds of both
 * names, and the first four letters of both (each in either order, so swapped names meet;
 * one of them survives most typing mistakes), a name's sound with the day of birth, the
 * surname's with the year and the given name's with a window of days around the birthday,
 * the birthday, postcode with house number, phone numbers and e-mail addresses. They hold
 * 99.3 % of FEBRL 4's true pairs (the benchmark prints the share for each set); a pair
 * sharing none is not looked at. Its profile of a contact is what the score compares
 * (`person-profile.ts`), packed for the index (`packed-profile.ts`); the keys are made of it.
 */
export class PossiblePersonRule implements DedupeRule<PackedProfile> {
  /** The contact last asked about: the engine asks for its profile, then for its keys. */
  private readonly asked = new LastDerived((contact: Contact) => personProfile(contact, this.region));
  /** The incoming contact being judged: the engine judges it against its candidates in a row. */
  private readonly judging = new LastDerived((contact: Contact) => personProfile(contact, this.region));
  readonly screenModule = new URL('./possible-person-screen.js', import.meta.url).href;

  constructor(
    private readonly region: CountryCode = 'DE',
    private readonly ruleId = 'possible-person',
  ) {}

  profile(contact: Contact): PackedProfile {
    return packProfile(this.asked.of(contact));
  }

  blockingKeys(contact: Contact): string[] {
    const profile = this.asked.of(contact);
    const keys: string[] = [];
    const { given, surname } = profile;
    if (surname?.code && given?.code) {
      keys.push(`names:${pair(surname.code, given.code)}`);
      keys.push(`starts:${pair(surname.folded.slice(0, 4), given.folded.slice(0, 4))}`);
    } else if (surname?.code || given?.code) keys.push(`name:${surname?.code || given?.code}`);
    if (profile.birthday.length === 8) {
      keys.push(`birthday:${profile.birthday}`);
      // A name's sound with the day, or the year, of birth finds the pairs whose other name
      // is misspelt or missing, even when the birthday has a typo too. A given name is far
      // less telling than a surname (a million contacts share some hundred given names), so
      // it goes with a window of days instead of a whole year: two windows, the second half
      // a window later, so that birthdays less than half a window apart share one.
      const year = profile.birthday.slice(0, 4);
      const day = profile.birthday.slice(4);
      if (surname?.code) keys.push(`name+year:${surname.code}|${year}`, `name+day:${surname.code}|${day}`);
      if (given?.code) {
        const days = daysOf(profile.birthday);
        keys.push(
          `name+window:${given.code}|a${Math.floor(days / windowDays)}`,
          `name+window:${given.code}|b${Math.floor((days + windowDays / 2) / windowDays)}`,
          `name+day:${given.code}|${day}`,
        );
      }
    }
    for (const address of profile.addresses)
      if (address.postcode && address.houseNumber)
        keys.push(`address:${address.postcode}|${address.houseNumber}`);
    for (const phone of profile.phones) keys.push(`phone:${phone}`);
    // The same key as the sure rule's: one entry in the index serves both.
    for (const email of profile.emails) keys.push(`email:${email}`);
    for (const local of profile.localParts) if (local.length >= 4) keys.push(`local:${local}`);
    return keys;
  }

  mayMatch(candidate: PackedProfile, existing: PackedProfile): boolean {
    return mayMatch(candidate, existing);
  }

  evaluate(candidate: Contact, existing: Contact): DedupeFinding | undefined {
    const mine = this.judging.of(candidate);
    const theirs = personProfile(existing, this.region);
    if (!reachesScore(mine, theirs, possibleThreshold)) return undefined;
    const compared = comparePersons(mine, theirs);
    return {
      verdict: 'possible',
      ruleId: this.ruleId,
      reason: reasonOf(compared),
      evidence: evidenceOf(compared, candidate, existing),
    };
  }
}

/** The width of a given name's birthday window: a birthday typed from memory is off by weeks. */
const windowDays = 90;

const nameWords: Record<string, string> = {
  exact: 'the same',
  nickname: 'a nickname of',
  close: 'spelt like',
  sounds: 'sounding like',
  near: 'similar to',
  initial: 'with the initial of',
};

function reasonOf(compared: PersonComparison): string {
  const parts: string[] = [];
  if (compared.swapped) parts.push('given name and surname swapped');
  if (compared.given && compared.given !== 'differ')
    parts.push(`given name ${nameWords[compared.given]} the other`);
  if (compared.surname && compared.surname !== 'differ')
    parts.push(`surname ${nameWords[compared.surname]} the other`);
  if (compared.birthday === 'exact') parts.push('same birthday');
  if (compared.birthday === 'typo') parts.push('birthday one digit apart');
  if (compared.birthday === 'near') parts.push('birthday less than a year apart');
  const address = compared.address;
  if (address?.postcode === 'exact') parts.push('same postcode');
  if (address?.street === 'exact' || address?.street === 'close') parts.push('same street');
  if (address?.city === 'exact' || address?.city === 'close') parts.push('same city');
  if (compared.email === 'exact') parts.push('same e-mail address');
  if (compared.email === 'localPart' || compared.email === 'closeLocalPart')
    parts.push('alike e-mail local part');
  if (compared.email === 'domain') parts.push('same e-mail domain');
  if (compared.phone) parts.push(`same phone number ${compared.phone}`);
  if (compared.company) parts.push('same company');
  return `possibly the same person: ${parts.join(', ')} (score ${compared.score.toFixed(1)})`;
}

/** The values compared, side by side as "incoming / CRM", for the person who decides. */
function evidenceOf(
  compared: PersonComparison,
  candidate: Contact,
  existing: Contact,
): Record<string, string> {
  const evidence: Record<string, string> = {};
  const pair = (a: string | undefined, b: string | undefined) => `${a ?? ''} / ${b ?? ''}`;
  if (compared.given)
    evidence.givenName = pair(candidate.givenName, compared.swapped ? existing.surname : existing.givenName);
  if (compared.surname)
    evidence.surname = pair(candidate.surname, compared.swapped ? existing.givenName : existing.surname);
  if (compared.birthday) evidence.birthday = pair(candidate.birthday, existing.birthday);
  if (compared.address) {
    const where = (contact: Contact) =>
      contact.addresses
        .map((address) => [address.street, address.postalCode, address.city].filter(Boolean).join(' '))
        .join('; ');
    evidence.address = pair(where(candidate), where(existing));
  }
  if (compared.email) {
    const addresses = (contact: Contact) => contact.emails.map((email) => email.address.trim()).join(', ');
    evidence.email = pair(addresses(candidate), addresses(existing));
  }
  if (compared.phone) evidence.phone = compared.phone;
  if (compared.company) evidence.company = pair(candidate.company, existing.company);
  evidence.score = compared.score.toFixed(1);
  return evidence;
}

/** Two parts in a fixed order, so that swapped given name and surname give the same key. */
function pair(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
