import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Contact } from '../../../core/index.js';
import { fixture } from '../../../test/support/paths.js';
import { readVCardsSync } from '../src/read/index.js';
import { type VcardVersion, writeVCard } from '../src/write/index.js';
import { mappedFields } from './support/mapped-fields.js';

const folder = fixture('vcard', 'real');
const files = readdirSync(folder)
  .filter((name) => name.toLowerCase().endsWith('.vcf'))
  .sort();

/**
 * What a round trip may change on purpose, each for a reason a user would accept:
 * - a card without FN gets one derived from its name, because 3.0 requires FN and Outlook
 *   shows it as the contact's name;
 * - a CR LF inside a value (a 2.1 quoted-printable note) comes back as LF: vCard's `\n`
 *   escape has one kind of line break;
 * - a card without UID gets one, so that a re-imported file is recognised (I2).
 */
function expectedAfterRoundTrip(first: Contact, written: string): Record<string, unknown> {
  const fields = mappedFields(first);
  const lf = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value);
  for (const key of Object.keys(fields)) fields[key] = lf(fields[key]);
  fields.addresses = (fields.addresses as Record<string, string>[]).map((address) =>
    Object.fromEntries(Object.entries(address).map(([k, v]) => [k, lf(v)])),
  );
  const derivedName = /\r\nFN:(.+)\r\n/.exec(written)?.[1];
  if (fields.displayName === undefined && derivedName) fields.displayName = derivedName;
  if (fields.uid === undefined) fields.uid = /\r\nUID:(.*)\r\n/.exec(written)?.[1];
  return fields;
}

describe('A read → write → read round trip of the real-world corpus', () => {
  it('finds the permissively licensed corpus in the repository', () => {
    expect(files.length, `no .vcf files in ${folder}`).to.be.greaterThan(50);
  });

  for (const version of ['3.0', '4.0'] as VcardVersion[]) {
    describe(`written as vCard ${version}`, () => {
      for (const file of files) {
        it(`keeps every mapped field of every card of ${file}`, () => {
          const firstRead = readVCardsSync(readFileSync(`${folder}/${file}`), { file });
          let cards = 0;
          for (const [index, item] of firstRead.entries()) {
            if (!item.ok) continue;
            cards++;
            const written = writeVCard(item.value, { version });
            const secondRead = readVCardsSync(written, { file: `${file} (written)` });
            expect(
              secondRead,
              `card ${index + 1} of ${file} read back as ${secondRead.length} items`,
            ).to.have.length(1);
            const again = secondRead[0];
            if (!again?.ok)
              throw new Error(`card ${index + 1} of ${file} no longer reads: ${again?.problem.message}`);
            expect(mappedFields(again.value), `card ${index + 1} of ${file}`).to.deep.equal(
              expectedAfterRoundTrip(item.value, written),
            );
          }
          if (firstRead.length > 0 && firstRead.some((item) => item.ok)) expect(cards).to.be.greaterThan(0);
        });
      }
    });
  }
});
