import { expect } from 'chai';
import fc from 'fast-check';
import { jaro, jaroWinkler } from '../../../core/domain/similarity/index.js';

/** Values from Winkler (1990) and the textbook examples that quote it. */
const references: [string, string, number, number][] = [
  ['MARTHA', 'MARHTA', 0.944, 0.961],
  ['DWAYNE', 'DUANE', 0.822, 0.84],
  ['DIXON', 'DICKSONX', 0.767, 0.813],
  ['JELLYFISH', 'SMELLYFISH', 0.896, 0.896],
];

describe('Jaro and Jaro-Winkler similarity', () => {
  for (const [a, b, expectedJaro, expectedWinkler] of references) {
    it(`scores ${a} / ${b} as ${expectedJaro} (Jaro) and ${expectedWinkler} (Jaro-Winkler)`, () => {
      expect(jaro(a, b)).to.be.closeTo(expectedJaro, 0.0005);
      expect(jaroWinkler(a, b)).to.be.closeTo(expectedWinkler, 0.0005);
    });
  }

  it('gives 1 for equal names and 0 for names without a letter in common', () => {
    expect(jaroWinkler('anna', 'anna')).to.equal(1);
    expect(jaroWinkler('anna', 'bert')).to.equal(0);
    expect(jaroWinkler('', 'bert')).to.equal(0);
  });

  it('does not raise a weak pair for its common prefix (below 0.7)', () => {
    expect(jaroWinkler('abcdxyzuvw', 'abcdqrstop')).to.equal(jaro('abcdxyzuvw', 'abcdqrstop'));
  });

  it('is symmetric and stays between 0 and 1, for short and long strings alike', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), fc.string({ maxLength: 50 }), (a, b) => {
        const forth = jaroWinkler(a, b);
        return forth >= 0 && forth <= 1 && Math.abs(forth - jaroWinkler(b, a)) < 1e-12;
      }),
      { numRuns: 2000 },
    );
  });

  it('scores a long street name the way it scores the same letters in a short one', () => {
    const long = 'Bürgermeister-Hermann-Schmidt-Straße';
    expect(long.length).to.be.greaterThan(32);
    expect(jaro(long, long.replace('Schmidt', 'Schmitt'))).to.be.greaterThan(0.95);
    expect(jaro(`${long}x`, long)).to.be.closeTo(jaro(long, long.slice(0, -1)), 0.01);
  });
});
