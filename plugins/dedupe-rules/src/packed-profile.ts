import { localPartsOf } from './email-parts.js';
import type { AddressProfile, NamePart, PersonProfile } from './person-profile.js';

/**
 * A person profile as the candidate index keeps it, a million times over: its fields in a
 * fixed order without their names, and without what is quickly derived again (the local
 * parts of the e-mail addresses), in less than half the room of the profile as an object.
 * An empty name is a missing one, as `personProfile` never gives an empty name.
 */
export type PackedProfile = [
  given: string,
  givenCode: string,
  surname: string,
  surnameCode: string,
  birthday: string,
  company: string,
  emails: readonly string[],
  companyDomains: readonly string[],
  phones: readonly string[],
  /** Four strings for each address: postcode, city, street and house number. */
  addresses: string[],
];

export function packProfile(profile: PersonProfile): PackedProfile {
  const addresses: string[] = [];
  for (const address of profile.addresses)
    addresses.push(address.postcode, address.city, address.street, address.houseNumber);
  return [
    profile.given?.folded ?? '',
    profile.given?.code ?? '',
    profile.surname?.folded ?? '',
    profile.surname?.code ?? '',
    profile.birthday,
    profile.company,
    profile.emails,
    profile.companyDomains,
    profile.phones,
    addresses,
  ];
}

export function unpackProfile(packed: PackedProfile): PersonProfile {
  const [given, givenCode, surname, surnameCode, birthday, company, emails, companyDomains, phones, places] =
    packed;
  const addresses: AddressProfile[] = [];
  for (let at = 0; at + 3 < places.length; at += 4)
    addresses.push({
      postcode: places[at]!,
      city: places[at + 1]!,
      street: places[at + 2]!,
      houseNumber: places[at + 3]!,
    });
  return {
    given: namePart(given, givenCode),
    surname: namePart(surname, surnameCode),
    emails,
    localParts: localPartsOf(emails),
    companyDomains,
    phones,
    company,
    birthday,
    addresses,
  };
}

function namePart(folded: string, code: string): NamePart | undefined {
  return folded ? { folded, code } : undefined;
}
