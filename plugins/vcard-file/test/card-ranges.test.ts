import { expect } from 'chai';
import { cardsOfFile } from '../src/folder/card-file.js';
import { topLevelCardRanges } from '../src/folder/card-ranges.js';
import { readVCardsSync } from '../src/read/index.js';

const eva = ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Eva Wolf', 'END:VCARD'];
const bernd = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'FN:Bernd Bruch',
  'PHOTO;ENCODING=b;TYPE=JPEG:qgEPAAIAAAAH!!!:ASDF==',
  'END:VCARD',
];

function problemLines(items: ReturnType<typeof readVCardsSync>): (number | undefined)[] {
  return items.flatMap((item) => (item.ok ? [] : [item.problem.location.line]));
}

describe('Locating the cards of a file in the vCard folder', () => {
  // [layout, file, line of Bernd's BEGIN]
  const layouts: [string, string, number][] = [
    ['CR-only line ends with blank lines', [...eva, '', '', ...bernd, ''].join('\r'), 7],
    ['CR CR LF line ends', [...eva, '', ...bernd, ''].join('\r\r\n'), 6],
    ['a mix of CR LF, CR CR LF and LF', `${eva.join('\r')}\r\n\r\r\n${bernd.join('\n')}\r\n`, 6],
  ];
  for (const [layout, text, berndLine] of layouts) {
    it(`names the same lines as the importer for ${layout}`, () => {
      const bytes = Buffer.from(text, 'latin1');
      const imported = readVCardsSync(bytes, { file: 'team.vcf' });
      expect(topLevelCardRanges(bytes).map((range) => range.line)).to.deep.equal([1, berndLine]);
      expect(problemLines(imported)).to.deep.equal([berndLine + 3]);
      const folder = cardsOfFile('team.vcf', bytes).map((card) => card.fetched);
      expect(problemLines(folder)).to.deep.equal(problemLines(imported));
    });
  }
});
