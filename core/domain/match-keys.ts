import { type CountryCode, Metadata, parsePhoneNumberFromString } from 'libphonenumber-js';

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
  if (country === defaultPhoneCountry) {
    const fast = plainDefaultCountryNumber(prepared);
    if (fast !== undefined) return fast;
  }
  const key = `${country} ${prepared}`;
  const known = e164Memo.get(key);
  if (known !== undefined || e164Memo.has(key)) return known;
  const parsed = parsePhoneNumberFromString(prepared, country);
  const e164 = parsed?.isPossible() ? parsed.number : undefined;
  // Address books repeat switchboard and head-office numbers; a full memo starts over
  // rather than tracking age, which keeps it cheap and its size bounded.
  if (e164Memo.size >= e164MemoLimit) e164Memo.clear();
  e164Memo.set(key, e164);
  return e164;
}

const e164MemoLimit = 10_000;
const e164Memo = new Map<string, string | undefined>();

/**
 * What libphonenumber-js makes of the plainest numbers of the default country, computed
 * from its own metadata without running its general parser (a large share of reading a
 * vCard file): `+49 30 1234567` and `030 1234567`, with spaces, hyphens or slashes between
 * digits. Gives undefined whenever the library might decide otherwise, and the caller
 * then asks the library; the rules used here are checked against the metadata once.
 */
const plainDefaultCountryNumber = ((): ((prepared: string) => string | undefined) => {
  const never = () => undefined;
  const metadata = new Metadata() as Metadata & Partial<MetadataInternals>;
  metadata.selectNumberingPlan(defaultPhoneCountry);
  const plan = metadata.numberingPlan as Partial<PlanInternals> | undefined;
  // Methods the library has but does not type; without any of them the shortcut stays off.
  const callingCode = plan?.callingCode?.();
  const prefix = plan?.nationalPrefix?.();
  const lengths = plan?.possibleLengths?.() ?? [];
  const pattern = plan?.nationalNumberPattern?.();
  const countries = callingCode ? metadata.getCountryCodesForCallingCode?.(callingCode) : undefined;
  // The shortcut covers a plan whose national prefix is one plain digit that is stripped as is.
  const simplePlan =
    callingCode !== undefined &&
    /^[0-9]{1,3}$/.test(callingCode) &&
    countries?.length === 1 &&
    countries[0] === defaultPhoneCountry &&
    prefix !== undefined &&
    /^[0-9]$/.test(prefix) &&
    plan?.nationalPrefixForParsing?.() === prefix &&
    typeof plan.nationalPrefixTransformRule === 'function' &&
    !plan.nationalPrefixTransformRule() &&
    pattern !== undefined &&
    lengths.length > 0 &&
    // "+49…" must not start with a shorter calling code, which the library would pick first.
    [...callingCode].every(
      (_, end) => end === 0 || !metadata.getCountryCodesForCallingCode?.(callingCode.slice(0, end)),
    );
  if (!simplePlan) return never;
  const possible = new Set(lengths);
  const nationalPattern = new RegExp(`^(?:${pattern})$`);
  const international = new RegExp(`^\\+${callingCode}[ /-]*\\d(?:[ /-]*\\d)*$`);
  const national = new RegExp(`^${prefix}[1-9](?:[ /-]*\\d)*$`);
  return (prepared) => {
    if (prepared.length > 40) return undefined;
    let digits: string;
    if (international.test(prepared)) digits = prepared.slice(callingCode.length + 1).replace(/\D/g, '');
    else if (national.test(prepared)) digits = prepared.replace(/\D/g, '');
    else return undefined;
    if (digits.startsWith(prefix)) {
      // The library keeps the prefix when the number is a valid national number with it,
      // and strips it (also after the country code) when what remains has a possible length.
      if (nationalPattern.test(digits)) return undefined;
      digits = digits.slice(prefix.length);
    }
    return possible.has(digits.length) ? `+${callingCode}${digits}` : undefined;
  };
})();

interface MetadataInternals {
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
}

interface PlanInternals {
  callingCode(): string;
  nationalPrefix(): string | undefined;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  nationalNumberPattern(): string;
  possibleLengths(): number[];
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

const looseSpellings: Record<string, string> = { ß: 'ss', æ: 'ae', ø: 'o' };

/**
 * A looser fold than `nameKey` for searching: umlauts lose their dots (Müller = Muller), as
 * people type them on keyboards without umlauts. Search on both keys to accept every spelling.
 */
export function looseNameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[ßæø]/g, (ch) => looseSpellings[ch] ?? ch)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
