import { expect } from 'chai';
import { colognePhonetic as oracle } from 'cologne-phonetic';
import fc from 'fast-check';
import { colognePhonetic } from '../../../core/domain/similarity/index.js';

/**
 * Reference values: Postel's examples as Wikipedia (de) quotes them and the test vectors of
 * Apache Commons Codec's ColognePhonetic before 1.22 (which merges digits across vowels).
 */
const references: [string, string][] = [
  ['Müller-Lüdenscheidt', '65752682'],
  ['Wikipedia', '3412'],
  ['Breschnew', '17863'],
  ['Meier', '67'],
  ['Mayer', '67'],
  ['Maier', '67'],
  ['Meyer', '67'],
  ['Heinz', '068'],
  ['Schmidt', '862'],
  ['Schmitt', '862'],
  ['Müller', '657'],
  ['Mueller', '657'],
  ['Xaver', '4837'],
  ['Chemnitz', '468'],
  ['Christoph', '47823'],
  ['Philipp', '351'],
  ['Matsch', '68'],
  ['Hase', '08'],
];

describe('Kölner Phonetik', () => {
  for (const [word, code] of references) {
    it(`codes ${word} as ${code}`, () => {
      expect(colognePhonetic(word)).to.equal(code);
    });
  }

  it('gives Meier, Maier, Mayer and Meyer one code, so they meet in one block', () => {
    const codes = new Set(['Meier', 'Maier', 'Mayer', 'Meyer'].map(colognePhonetic));
    expect([...codes]).to.deep.equal(['67']);
  });

  it('reads accented letters as their base letter', () => {
    expect(colognePhonetic('Renée')).to.equal(colognePhonetic('Renee'));
    expect(colognePhonetic('Ólafsson')).to.equal(colognePhonetic('Olafsson'));
  });

  it('codes a final C as 8, and C, K or Q before X as 4, as the published rules say', () => {
    expect(colognePhonetic('Lac')).to.equal('58');
    expect(colognePhonetic('Lacx')).to.equal('548');
    expect(colognePhonetic('Max')).to.equal('648');
  });

  it('agrees with the cologne-phonetic package on words without a final C or a CX, KX, QX', () => {
    // The package codes a final C as 4 and CX, KX, QX as 8; everywhere else the two must agree.
    const word = fc
      .stringMatching(/^[a-zäöüß]{1,12}$/)
      .filter((text) => !text.endsWith('c') && !/[ckq]x/.test(text));
    fc.assert(
      fc.property(word, (text) => colognePhonetic(text) === oracle(text)),
      { numRuns: 2000 },
    );
  });
});
