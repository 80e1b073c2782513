import { expect } from 'chai';
import { areNicknames, foldName, nicknameFamilies } from '../../../core/domain/similarity/index.js';

describe('Folding names for comparison', () => {
  const same: [string, string][] = [
    ['Müller', 'Mueller'],
    ['MÜLLER', 'mueller'],
    ['Strauß', 'Strauss'],
    ['Łukasz', 'Lukasz'],
    ['José', 'Jose'],
    ['  Anna-Lena ', 'anna lena'],
  ];
  for (const [a, b] of same) {
    it(`folds "${a}" and "${b}" alike`, () => {
      expect(foldName(a)).to.equal(foldName(b));
    });
  }

  it('keeps names of other scripts instead of dropping them', () => {
    expect(foldName('王芳')).to.equal('王芳');
  });
});

describe('German given names and their familiar forms', () => {
  const pairs: [string, string][] = [
    ['hans', 'johannes'],
    ['sepp', 'josef'],
    ['fritz', 'friedrich'],
    ['joerg', 'georg'],
    ['liesel', 'elisabeth'],
    ['hans', 'johann'],
  ];
  for (const [a, b] of pairs) {
    it(`knows ${a} as a form of ${b}`, () => {
      expect(areNicknames(a, b)).to.equal(true);
      expect(areNicknames(b, a)).to.equal(true);
    });
  }

  it('does not take two different names for nicknames', () => {
    expect(areNicknames('hans', 'peter')).to.equal(false);
    expect(areNicknames('anna', 'maria')).to.equal(false);
  });

  it('knows nothing of a name outside the table', () => {
    expect(nicknameFamilies('zacharias')).to.deep.equal([]);
  });
});
