import { distance } from 'fastest-levenshtein';
import { areNicknames, jaroWinkler } from '../../../core/domain/similarity/index.js';
import type { AddressProfile, NamePart, PersonProfile } from './person-profile.js';

/**
 * How much each kind of agreement or disagreement says about two records being one person,
 * in the manner of Fellegi and Sunter: a rare agreement (the same birthday) weighs more than
 * a common one (the same city); a missing value says nothing. Set by hand and checked
 * against the FEBRL and fake_1000 benchmarks (`npm run bench -- dedupe`).
 */
export const weights = {
  given: { exact: 5, nickname: 4, close: 4, sounds: 3, near: 1.5, initial: 1, differ: -3 },
  surname: { exact: 6, nickname: 4, close: 4.5, sounds: 3.5, near: 1.5, initial: 1, differ: -4 },
  /** Names given the other way round (surname in the given-name field) cost a little. */
  swapped: -0.5,
  birthday: { exact: 6, typo: 3, near: 1, differ: -4 },
  postcode: { exact: 3, typo: 1, differ: -2 },
  city: { exact: 2.5, close: 1.5, differ: -1 },
  street: { exact: 3, close: 2, differ: -1 },
  houseNumber: { exact: 1.5, differ: -1 },
  email: { exact: 8, localPart: 4, closeLocalPart: 2, domain: 1 },
  phone: { exact: 6 },
  company: { exact: 1.5 },
};

/** The score from which a pair is a possible duplicate. */
export const possibleThreshold = 5;

export type NameLevel = keyof typeof weights.given;
export type BirthdayLevel = keyof typeof weights.birthday;
export type EmailLevel = keyof typeof weights.email;

/** What agreed and what did not, for the finding's reason and evidence. */
export interface PersonComparison {
  score: number;
  swapped: boolean;
  given?: NameLevel;
  surname?: NameLevel;
  birthday?: BirthdayLevel;
  address?: { postcode?: string; city?: string; street?: string; houseNumber?: string };
  email?: EmailLevel;
  phone?: string;
  company?: string;
}

/**
 * Whether the pair reaches `threshold`, without building a description and without comparing
 * the swapped names when the rest already decides: most candidate pairs of a large import
 * are rejected, and this runs millions of times.
 */
export function reachesScore(a: PersonProfile, b: PersonProfile, threshold: number): boolean {
  if (fieldsOnBothSides(a, b) < 2) return false;
  const sameLevel = sameEmailLevel(a, b);
  const sameEmail = sameLevel ? weights.email[sameLevel] : 0;
  const rest =
    birthdayScore(a.birthday, b.birthday) +
    addressScore(a.addresses, b.addresses) +
    phoneAndCompanyScore(a, b) +
    sameEmail;
  const straight =
    partScore(a.given, b.given, weights.given) + partScore(a.surname, b.surname, weights.surname);
  if (straight + rest >= threshold) return true;
  // What alike local parts could still add; they need a string measure per pair of them.
  const alikeAtMost = sameEmail === 0 ? weights.email.closeLocalPart : 0;
  if (Math.max(straight, bestSwappedNames) + rest + alikeAtMost < threshold) return false;
  const names =
    bestSwappedNames + rest + alikeAtMost < threshold
      ? straight
      : Math.max(straight, swappedNamesScore(a, b));
  if (names + rest >= threshold) return true;
  if (names + rest + alikeAtMost < threshold) return false;
  const level = alikeEmailLevel(a, b);
  return names + rest + (level ? weights.email[level] : 0) >= threshold;
}

/**
 * A pair that can be compared on one field only ("Thomas" and "Thomas Weber") says too little:
 * in a large CRM that one agreement is a namesake more often than the same person.
 */
export function fieldsOnBothSides(a: PersonProfile, b: PersonProfile): number {
  const both = (x: unknown, y: unknown) => (x && y ? 1 : 0);
  return (
    both(a.given, b.given) +
    both(a.surname, b.surname) +
    both(a.birthday, b.birthday) +
    both(a.addresses.length, b.addresses.length) +
    both(a.emails.length || a.companyDomains.length, b.emails.length || b.companyDomains.length) +
    both(a.phones.length, b.phones.length) +
    both(a.company, b.company)
  );
}

const bestSwappedNames = weights.given.exact + weights.surname.exact + weights.swapped;

function swappedNamesScore(a: PersonProfile, b: PersonProfile): number {
  return (
    partScore(a.given, b.surname, weights.given) +
    partScore(a.surname, b.given, weights.surname) +
    weights.swapped
  );
}

/**
 * The score of a pair, names as given or swapped (whichever fits better) and everything else,
 * with what went into it; each part compared once.
 */
export function comparePersons(a: PersonProfile, b: PersonProfile): PersonComparison {
  const straight = twoNames(a.given, b.given, a.surname, b.surname);
  const swapped = twoNames(a.given, b.surname, a.surname, b.given);
  const isSwapped = swapped.score + weights.swapped > straight.score;
  const names = isSwapped ? swapped : straight;
  const birthday = a.birthday && b.birthday ? birthdayLevel(a.birthday, b.birthday) : undefined;
  const address = bestAddress(a.addresses, b.addresses);
  const email = emailLevel(a, b);
  const phone = sharedPhone(a, b);
  const company = a.company && a.company === b.company ? a.company : undefined;
  const rest =
    (birthday ? weights.birthday[birthday] : 0) +
    (address ? address.score : 0) +
    ((email ? weights.email[email] : 0) +
      (phone ? weights.phone.exact : 0) +
      (company ? weights.company.exact : 0));
  const result: PersonComparison = {
    score: Math.max(straight.score, swapped.score + weights.swapped) + rest,
    swapped: isSwapped,
  };
  if (names.given) result.given = names.given;
  if (names.surname) result.surname = names.surname;
  if (birthday) result.birthday = birthday;
  if (address) result.address = describeAddress(address.pair[0], address.pair[1]);
  if (email) result.email = email;
  if (phone) result.phone = phone;
  if (company) result.company = company;
  return result;
}

function partScore(
  a: NamePart | undefined,
  b: NamePart | undefined,
  table: Record<NameLevel, number>,
): number {
  return a && b ? table[nameLevel(a, b)] : 0;
}

function twoNames(givenA?: NamePart, givenB?: NamePart, surnameA?: NamePart, surnameB?: NamePart) {
  const given = givenA && givenB ? nameLevel(givenA, givenB) : undefined;
  const surname = surnameA && surnameB ? nameLevel(surnameA, surnameB) : undefined;
  return {
    given,
    surname,
    score: (given ? weights.given[given] : 0) + (surname ? weights.surname[surname] : 0),
  };
}

export function nameLevel(a: NamePart, b: NamePart): NameLevel {
  if (a.folded === b.folded) return 'exact';
  if (areNicknames(a.folded, b.folded)) return 'nickname';
  const similarity = jaroWinkler(a.folded, b.folded);
  if (similarity >= 0.93) return 'close';
  if (a.code && a.code === b.code) return 'sounds';
  if (similarity >= 0.85) return 'near';
  if ((a.folded.length === 1 || b.folded.length === 1) && a.folded[0] === b.folded[0]) return 'initial';
  return 'differ';
}

function birthdayScore(a: string, b: string): number {
  return a && b ? weights.birthday[birthdayLevel(a, b)] : 0;
}

function birthdayLevel(a: string, b: string): BirthdayLevel {
  if (a === b) return 'exact';
  // Compare month and day alone when one side does not know the year.
  const [x, y] = a.length === b.length ? [a, b] : [a.slice(-4), b.slice(-4)];
  if (x === y) return 'exact';
  if (
    x.length === 8 &&
    x.slice(0, 4) === y.slice(0, 4) &&
    x.slice(4, 6) === y.slice(6) &&
    x.slice(6) === y.slice(4, 6)
  )
    return 'typo';
  if (distance(x, y) <= 1 || isTransposition(x, y)) return 'typo';
  return x.length === 8 && Math.abs(daysOf(x) - daysOf(y)) <= daysApartNear ? 'near' : 'differ';
}

/** Dates entered from memory ("born in spring '71") are often off by weeks, rarely by more than a year. */
const daysApartNear = 366;

/** Days since 1970 of a `YYYYMMDD` birthday. */
export function daysOf(digits: string): number {
  return (
    Date.UTC(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)) - 1, Number(digits.slice(6, 8))) /
    86_400_000
  );
}

function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let first = -1;
  for (let at = 0; at < a.length; at++) {
    if (a[at] === b[at]) continue;
    if (first >= 0)
      return (
        at === first + 1 && a[first] === b[at] && a[at] === b[first] && a.slice(at + 1) === b.slice(at + 1)
      );
    first = at;
  }
  return false;
}

/** The best-agreeing pair of addresses counts; contacts often have a business and a home one. */
function addressScore(a: readonly AddressProfile[], b: readonly AddressProfile[]): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const x of a) for (const y of b) best = Math.max(best, oneAddressScore(x, y));
  return best === Number.NEGATIVE_INFINITY ? 0 : best;
}

/** The best-agreeing pair of addresses (the first of equals) with its score. */
function bestAddress(a: readonly AddressProfile[], b: readonly AddressProfile[]) {
  let best: { pair: [AddressProfile, AddressProfile]; score: number } | undefined;
  for (const x of a)
    for (const y of b) {
      const score = oneAddressScore(x, y);
      if (!best || score > best.score) best = { pair: [x, y], score };
    }
  return best;
}

function oneAddressScore(a: AddressProfile, b: AddressProfile): number {
  let score = 0;
  if (a.postcode && b.postcode) score += weights.postcode[postcodeLevel(a.postcode, b.postcode)];
  if (a.city && b.city) score += weights.city[placeLevel(a.city, b.city, 0.9)];
  if (a.street && b.street) score += weights.street[placeLevel(a.street, b.street, 0.88)];
  if (a.houseNumber && b.houseNumber)
    score += weights.houseNumber[a.houseNumber === b.houseNumber ? 'exact' : 'differ'];
  return score;
}

function describeAddress(a: AddressProfile, b: AddressProfile): NonNullable<PersonComparison['address']> {
  const described: NonNullable<PersonComparison['address']> = {};
  if (a.postcode && b.postcode) described.postcode = postcodeLevel(a.postcode, b.postcode);
  if (a.city && b.city) described.city = placeLevel(a.city, b.city, 0.9);
  if (a.street && b.street) described.street = placeLevel(a.street, b.street, 0.88);
  if (a.houseNumber && b.houseNumber)
    described.houseNumber = a.houseNumber === b.houseNumber ? 'exact' : 'differ';
  return described;
}

function postcodeLevel(a: string, b: string): 'exact' | 'typo' | 'differ' {
  return a === b ? 'exact' : distance(a, b) <= 1 ? 'typo' : 'differ';
}

function placeLevel(a: string, b: string, close: number): 'exact' | 'close' | 'differ' {
  return a === b ? 'exact' : jaroWinkler(a, b) >= close ? 'close' : 'differ';
}

function phoneAndCompanyScore(a: PersonProfile, b: PersonProfile): number {
  let score = 0;
  if (sharedPhone(a, b)) score += weights.phone.exact;
  if (a.company && a.company === b.company) score += weights.company.exact;
  return score;
}

/** The same address or the same local part: the levels found without a string measure. */
function sameEmailLevel(a: PersonProfile, b: PersonProfile): 'exact' | 'localPart' | undefined {
  if (a.emails.some((address) => b.emails.includes(address))) return 'exact';
  if (a.localParts.some((local) => b.localParts.includes(local))) return 'localPart';
  return undefined;
}

/** The level of two profiles sharing neither address nor local part. */
function alikeEmailLevel(a: PersonProfile, b: PersonProfile): EmailLevel | undefined {
  if (a.localParts.some((x) => x.length >= 6 && b.localParts.some((y) => jaroWinkler(x, y) >= 0.9)))
    return 'closeLocalPart';
  if (a.companyDomains.some((domain) => b.companyDomains.includes(domain))) return 'domain';
  return undefined;
}

function emailLevel(a: PersonProfile, b: PersonProfile): EmailLevel | undefined {
  return sameEmailLevel(a, b) ?? alikeEmailLevel(a, b);
}

function sharedPhone(a: PersonProfile, b: PersonProfile): string | undefined {
  return a.phones.find((number) => b.phones.includes(number));
}
