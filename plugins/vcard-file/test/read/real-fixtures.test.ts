import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { fixture } from '../../../../test/support/paths.js';
import { readVCards, readVCardsSync } from '../../src/read/index.js';
import { assertExpectation, expectations } from './corpus-expectations.js';
import { assertEveryItemReadOrLocated } from './file-invariants.js';

const realDir = fixture('vcard', 'real');
const listedInSources = [
  ...readFileSync(fixture('vcard', 'SOURCES.md'), 'utf8').matchAll(/^\| `([^`]+)` \|/gm),
].map((match) => match[1] as string);

describe('vCard reader on real files from permissively licensed projects', () => {
  it('has every fixture that SOURCES.md lists, and nothing unlisted', () => {
    expect(listedInSources.length).to.be.greaterThan(100);
    expect(readdirSync(realDir).sort()).to.deep.equal([...listedInSources].sort());
  });

  for (const file of listedInSources) {
    const expectation = expectations.find((entry) => entry.file === file);
    it(`reads ${file}${expectation ? ' as its source test suite expects' : ' or rejects its cards with located errors'}`, () => {
      const results = readVCardsSync(readFileSync(join(realDir, file)), { file });
      assertEveryItemReadOrLocated(file, results);
      if (expectation) assertExpectation(expectation, results);
    });
  }

  it('gives the same result streamed in 7-byte chunks as read at once', async () => {
    for (const file of listedInSources) {
      const bytes = readFileSync(join(realDir, file));
      async function* chunks() {
        for (let offset = 0; offset < bytes.length; offset += 7) yield bytes.subarray(offset, offset + 7);
      }
      const streamed = [];
      for await (const item of readVCards(chunks(), { file })) streamed.push(item);
      expect(streamed, file).to.deep.equal(readVCardsSync(bytes, { file }));
    }
  });
});
