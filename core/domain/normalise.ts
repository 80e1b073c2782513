import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Match keys: computed once here and used by every rule, so that two connectors never
 * disagree about whether "Müller" and "MUELLER" are the same name.
 */

/** The country assumed for numbers written without a country code (a German CRM by default). */
export const defaultPhoneCountry: CountryCode = 'DE';

/** E.164 form of a phone number as entered, or undefined when it is not a plausible number. */
export function toE164(number: string, country: CountryCode = defaultPhoneCountry): string | undefined {
  const trimmed = number.trim();
  if (!trimmed) return undefined;
  // "0049 …" is a common way to write the international prefix in Germany.
  const prepared = trimmed.replace(/^00(?=[1-9])/, '+');
  const parsed = parsePhoneNumberFromString(prepared, country);
  return parsed?.isPossible() ? parsed.number : undefined;
}

export function emailKey(address: string): string {
  return address.trim().toLowerCase();
}

const umlautSpellings: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ß: 'ss',
  æ: 'ae',
  ø: 'oe',
  å: 'aa',
};

/**
 * A person's name folded for comparison: case-insensitive, accents removed, German umlauts
 * and their two-letter spellings unified (Müller = Mueller = MUELLER), punctuation and
 * extra spaces dropped.
 */
export function nameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[äöüßæøå]/g, (ch) => umlautSpellings[ch] ?? ch)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
