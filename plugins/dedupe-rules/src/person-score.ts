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
export const possibleThreshold = 6;

export type NameLevel = 'exact' | 'nickname' | 'close' | 'sounds' | 'near' | 'initial' | 'differ';

export interface PersonComparison {
  score: number;
  swapped: boolean;
  given?: NameLevel;
  surname?: NameLevel;
  birthday?: BirthdayLevel;
  address?: { postcode?: string; city?: string; street?: string; houseNumber?: string };
  email?: 'exact' | 'localPart' | 'closeLocalPart' | 'domain';
  phone?: string;
  company?: string;
}

export function comparePersons(a: PersonProfile, b: PersonProfile): PersonComparison {
  const straight = namesScore(a.given, a.surname, b.given, b.surname);
  const swapped = namesScore(a.given, a.surname, b.surname, b.given);
  const names = swapped.score + weights.swapped > straight.score ? { ...swapped, swapped: true } : straight;
  const result: PersonComparison = {
    score: names.swapped ? names.score + weights.swapped : names.score,
    swapped: !!names.swapped,
    ...(names.given ? { given: names.given } : {}),
    ...(names.surname ? { surname: names.surname } : {}),
  };
  addBirthday(result, a.birthday, b.birthday);
  addAddress(result, a.addresses, b.addresses);
  addEmail(result, a, b);
  const phone = a.phones.find((number) => b.phones.includes(number));
  if (phone) {
    result.phone = phone;
    result.score += weights.phone.exact;
  }
  if (a.company && a.company === b.company) {
    result.company = a.company;
    result.score += weights.company.exact;
  }
  return result;
}

function namesScore(
  givenA: NamePart | undefined,
  surnameA: NamePart | undefined,
  givenB: NamePart | undefined,
  surnameB: NamePart | undefined,
): { score: number; given?: NameLevel; surname?: NameLevel; swapped?: boolean } {
  const given = givenA && givenB ? nameLevel(givenA, givenB) : undefined;
  const surname = surnameA && surnameB ? nameLevel(surnameA, surnameB) : undefined;
  return {
    score: (given ? weights.given[given] : 0) + (surname ? weights.surname[surname] : 0),
    ...(given ? { given } : {}),
    ...(surname ? { surname } : {}),
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

function addBirthday(result: PersonComparison, a: string, b: string): void {
  if (!a || !b) return;
  const level = birthdayLevel(a, b);
  result.birthday = level;
  result.score += weights.birthday[level];
}

type BirthdayLevel = 'exact' | 'typo' | 'near' | 'differ';

function birthdayLevel(a: string, b: string): BirthdayLevel {
  if (a === b) return 'exact';
  // Compare month and day alone when one side does not know the year.
  const [x, y] = a.length === b.length ? [a, b] : [a.slice(-4), b.slice(-4)];
  if (x === y) return 'exact';
  if (
    x.length === 8 &&
    x.slice(0, 4) === y.slice(0, 4) &&
    x.slice(4, 6) === y.slice(6, 8) &&
    x.slice(6, 8) === y.slice(4, 6)
  )
    return 'typo';
  if (distance(x, y) <= 1 || isTransposition(x, y)) return 'typo';
  return x.length === 8 && Math.abs(daysOf(x) - daysOf(y)) <= daysApartNear ? 'near' : 'differ';
}

/** Dates entered from memory ("born in spring '71") are often off by weeks, rarely by more than a year. */
const daysApartNear = 366;

function daysOf(digits: string): number {
  return (
    Date.UTC(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)) - 1, Number(digits.slice(6, 8))) /
    86_400_000
  );
}

function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const differ: number[] = [];
  for (let at = 0; at < a.length && differ.length <= 2; at++) if (a[at] !== b[at]) differ.push(at);
  return (
    differ.length === 2 &&
    differ[1] === differ[0]! + 1 &&
    a[differ[0]!] === b[differ[1]!] &&
    a[differ[1]!] === b[differ[0]!]
  );
}

/** The best-agreeing pair of addresses counts; contacts often have a business and a home one. */
function addAddress(
  result: PersonComparison,
  a: readonly AddressProfile[],
  b: readonly AddressProfile[],
): void {
  let best: { score: number; address: NonNullable<PersonComparison['address']> } | undefined;
  for (const x of a) {
    for (const y of b) {
      const compared = compareAddresses(x, y);
      if (!best || compared.score > best.score) best = compared;
    }
  }
  if (!best) return;
  result.score += best.score;
  result.address = best.address;
}

function compareAddresses(a: AddressProfile, b: AddressProfile) {
  let score = 0;
  const address: NonNullable<PersonComparison['address']> = {};
  if (a.postcode && b.postcode) {
    const level =
      a.postcode === b.postcode ? 'exact' : distance(a.postcode, b.postcode) <= 1 ? 'typo' : 'differ';
    score += weights.postcode[level];
    address.postcode = level;
  }
  if (a.city && b.city) {
    const level = a.city === b.city ? 'exact' : jaroWinkler(a.city, b.city) >= 0.9 ? 'close' : 'differ';
    score += weights.city[level];
    address.city = level;
  }
  if (a.street && b.street) {
    const level =
      a.street === b.street ? 'exact' : jaroWinkler(a.street, b.street) >= 0.88 ? 'close' : 'differ';
    score += weights.street[level];
    address.street = level;
  }
  if (a.houseNumber && b.houseNumber) {
    const level = a.houseNumber === b.houseNumber ? 'exact' : 'differ';
    score += weights.houseNumber[level];
    address.houseNumber = level;
  }
  return { score, address };
}

function addEmail(result: PersonComparison, a: PersonProfile, b: PersonProfile): void {
  let level: PersonComparison['email'];
  if (a.emails.some((address) => b.emails.includes(address))) level = 'exact';
  else if (a.localParts.some((local) => b.localParts.includes(local))) level = 'localPart';
  else if (a.localParts.some((x) => x.length >= 6 && b.localParts.some((y) => jaroWinkler(x, y) >= 0.9)))
    level = 'closeLocalPart';
  else if (a.companyDomains.some((domain) => b.companyDomains.includes(domain))) level = 'domain';
  if (!level) return;
  result.email = level;
  result.score += weights.email[level];
}
