import { expect } from 'chai';
import fc from 'fast-check';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { toE164 } from '../../../../core/index.js';
import { readVCardsSync } from '../../src/read/index.js';

/** libphonenumber-js asked directly, as the reader did before it had shortcuts. */
function libraryE164(number: string, country: CountryCode = 'DE'): string | undefined {
  const trimmed = number.trim();
  if (!trimmed) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed.replace(/^00(?=[1-9])/, '+'), country);
  return parsed?.isPossible() ? parsed.number : undefined;
}

function mismatches(numbers: Iterable<string>, country?: CountryCode): string[] {
  const wrong: string[] = [];
  for (const number of numbers) {
    const expected = libraryE164(number, country);
    const actual = toE164(number, country);
    if (actual !== expected) wrong.push(`${JSON.stringify(number)}: ${actual} instead of ${expected}`);
  }
  return wrong;
}

function* digitRuns(prefixes: string[], maxLength: number): Iterable<string> {
  for (const prefix of prefixes)
    for (let leading = 0; leading < 100; leading++)
      for (let length = 2; length <= maxLength; length++) {
        const digits = `${String(leading).padStart(2, '0')}${'7'.repeat(length - 2)}`;
        yield `${prefix}${digits}`;
        yield `${prefix}${digits.slice(0, 3)} ${digits.slice(3)}`;
      }
}

describe('vCard phone numbers in E.164', () => {
  it('gives the E.164 form libphonenumber-js gives for German numbers of every length and area code', () => {
    const numbers = digitRuns(['+49', '+49 ', '0049 ', '0', '00', '+49 0', '', '+43 '], 19);
    expect(mismatches(numbers)).to.deep.equal([]);
  });

  it('gives the E.164 form libphonenumber-js gives for numbers written in any odd way', () => {
    const prefix = fc.constantFrom('+49', '+49 ', '0049', '0', '00', '+49 (0)', '(0', '+', '+1 ', '');
    const rest = fc.string({ unit: fc.constantFrom(...'0123456789 /-()+x.#'.split('')), maxLength: 20 });
    fc.assert(
      fc.property(prefix, rest, fc.constantFrom<CountryCode>('DE', 'AT', 'US'), (start, tail, country) => {
        expect(mismatches([`${start}${tail}`], country)).to.deep.equal([]);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps giving the same answers after more distinct numbers than it remembers', () => {
    const numbers = Array.from({ length: 12_000 }, (_, i) => `+1 212 555 ${String(i).padStart(5, '0')}`);
    const first = numbers.map((number) => toE164(number));
    expect(numbers.map((number) => toE164(number))).to.deep.equal(first);
    expect(mismatches(numbers.slice(0, 100))).to.deep.equal([]);
  });

  it('sets the E.164 form of each TEL of a card', () => {
    const [result] = readVCardsSync(
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        'FN:Anna Weber',
        'TEL;TYPE=WORK:+49 30 1234567',
        'TEL;TYPE=CELL:0171/7654321',
        'TEL;TYPE=HOME:0049 (0)89 12 34 56',
        'TEL:12',
        'END:VCARD',
        '',
      ].join('\r\n'),
    );
    expect(result?.ok && result.value.phones.map((phone) => phone.e164)).to.deep.equal([
      '+49301234567',
      '+491717654321',
      '+4989123456',
      undefined,
    ]);
  });
});
