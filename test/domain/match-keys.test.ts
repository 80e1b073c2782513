import { expect } from 'chai';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { emailKey, looseNameKey, nameKey, toE164 } from '../../core/index.js';

describe('Name keys', () => {
  it('treat Müller, Mueller and MUELLER as the same name', () => {
    expect(nameKey('Müller')).to.equal('mueller');
    expect(nameKey('Mueller')).to.equal('mueller');
    expect(nameKey('MUELLER')).to.equal('mueller');
    expect(nameKey('MÜLLER')).to.equal('mueller');
  });

  it('treat Strauß and Strauss as the same name', () => {
    expect(nameKey('Strauß')).to.equal(nameKey('Strauss'));
    expect(nameKey('Weiß')).to.equal('weiss');
  });

  it('unify every German umlaut with its two-letter spelling', () => {
    expect(nameKey('Bär Öztürk Jürgens')).to.equal(nameKey('Baer Oeztuerk Juergens'));
  });

  it('drop accents of other languages', () => {
    expect(nameKey('José')).to.equal(nameKey('Jose'));
    expect(nameKey('François Renée')).to.equal('francois renee');
    expect(nameKey('Zoë')).to.equal('zoe');
  });

  it('ignore punctuation and extra spaces', () => {
    expect(nameKey("  O'Brien ")).to.equal(nameKey('O Brien'));
    expect(nameKey('Meyer-Lüdenscheidt')).to.equal(nameKey('Meyer   Luedenscheidt'));
    expect(nameKey('Dr.  Anna\tMaria ')).to.equal('dr anna maria');
  });

  it('keep names apart that differ in more than spelling', () => {
    expect(nameKey('Müller')).not.to.equal(nameKey('Miller'));
    expect(nameKey('Meier')).not.to.equal(nameKey('Meyer'));
  });

  it('are empty for a name of only punctuation and spaces', () => {
    expect(nameKey(' - . ')).to.equal('');
  });
});

describe('Loose name keys', () => {
  it('let "Muller", typed without umlauts, find Müller, which the strict key keeps apart', () => {
    expect(looseNameKey('Muller')).to.equal(looseNameKey('Müller'));
    expect(nameKey('Muller')).not.to.equal(nameKey('Müller'));
  });

  it('fold case, ß, accents, punctuation and spaces like the strict key', () => {
    expect(looseNameKey(' STRAUß-Öberg ')).to.equal('strauss oberg');
    expect(looseNameKey('José')).to.equal('jose');
  });

  it('keep the two-letter spelling, so a search tries both keys to accept every spelling', () => {
    expect(looseNameKey('Mueller')).to.equal('mueller');
    expect(nameKey('Mueller')).to.equal(nameKey('Müller'));
  });
});

describe('E-mail keys', () => {
  it('ignore surrounding spaces and the case of the address', () => {
    expect(emailKey('  Anna.Weiss@Bau-AG.DE ')).to.equal('anna.weiss@bau-ag.de');
    expect(emailKey('anna.weiss@bau-ag.de')).to.equal(emailKey('ANNA.WEISS@BAU-AG.DE'));
  });
});

describe('Phone numbers in E.164', () => {
  it('give one form for a German mobile number however it is written', () => {
    for (const written of [
      '0171/9876543',
      '+49 171 9876543',
      '0049-171-98 76 543',
      '0171 98 76 543',
      '+49 (0)171 9876543',
    ]) {
      expect(toE164(written), written).to.equal('+491719876543');
    }
  });

  it('read a landline number with its area code', () => {
    expect(toE164('030 1234567')).to.equal('+49301234567');
    expect(toE164('+49 30 1234567')).to.equal('+49301234567');
  });

  it('keep a number with another country code in that country', () => {
    expect(toE164('+43 1 5123456')).to.equal('+4315123456');
    expect(toE164('+1 415 555 0132')).to.equal('+14155550132');
  });

  it('give nothing for an implausible number', () => {
    for (const written of ['', '   ', '12', 'abc', 'n/a', '0049 30 123456789012345']) {
      expect(toE164(written), JSON.stringify(written)).to.equal(undefined);
    }
  });

  it('read a number without country code in the default region the caller names', () => {
    expect(toE164('(415) 555-0132', 'US')).to.equal('+14155550132');
    expect(toE164('020 7946 0018', 'GB')).to.equal('+442079460018');
    expect(toE164('01 5123456', 'AT')).to.equal('+4315123456');
  });

  it('give the same answer as a full parse for plainly written German numbers', () => {
    // toE164 reads the plainest numbers of the default region without the general parser;
    // it must never disagree with it.
    const digits = (min: number, max: number) =>
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
    const separator = fc.constantFrom('', ' ', '-', '/', ' / ', '  ');
    const spaced = fc
      .tuple(digits(1, 14), separator, digits(0, 6))
      .map(([a, s, b]) => (b ? `${a}${s}${b}` : a));
    const written = fc.oneof(
      spaced.map((rest) => `0${rest}`),
      fc.tuple(separator, spaced).map(([s, rest]) => `+49${s}${rest}`),
      fc.tuple(separator, spaced).map(([s, rest]) => `0049${s}${rest}`),
    );
    fc.assert(
      fc.property(written, (number) => {
        const prepared = number.replace(/^00(?=[1-9])/, '+');
        const parsed = parsePhoneNumberFromString(prepared, 'DE');
        const expected = parsed?.isPossible() ? parsed.number : undefined;
        expect(toE164(number), number).to.equal(expected);
      }),
      { numRuns: 2000, seed: 20240611 },
    );
  });
});
