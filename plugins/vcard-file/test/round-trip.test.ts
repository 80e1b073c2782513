import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { fixture } from '../../../test/support/paths.js';
import type { VcardVersion } from '../src/write/index.js';
import { assertRoundTrip } from './support/round-trip.js';

const folder = fixture('vcard', 'real');
const files = readdirSync(folder)
  .filter((name) => name.toLowerCase().endsWith('.vcf'))
  .sort();

describe('A read → write → read round trip of the real-world corpus', () => {
  it('finds the permissively licensed corpus in the repository', () => {
    expect(files.length, `no .vcf files in ${folder}`).to.be.greaterThan(50);
  });

  for (const version of ['3.0', '4.0'] as VcardVersion[]) {
    describe(`written as vCard ${version}`, () => {
      for (const file of files) {
        it(`keeps every mapped field of every card of ${file}`, () => {
          assertRoundTrip(readFileSync(`${folder}/${file}`), file, version);
        });
      }
    });
  }
});
