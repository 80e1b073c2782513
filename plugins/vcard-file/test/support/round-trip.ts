import { expect } from 'chai';
import type { Contact } from '../../../../core/index.js';
import { readVCardsSync } from '../../src/read/index.js';
import { type VcardVersion, withoutControlCharacters, writeVCard } from '../../src/write/index.js';
import { mappedFields } from './mapped-fields.js';

/**
 * What a round trip may change on purpose, each for a reason a user would accept:
 * - a card without FN gets one derived from its name, because 3.0 requires FN and Outlook
 *   shows it as the contact's name;
 * - a CR LF inside a value (a 2.1 quoted-printable note) comes back as LF: vCard's `\n`
 *   escape has one kind of line break;
 * - a card without UID gets one, so that a re-imported file is recognised (I2);
 * - vCard 4.0 writes REV in whole seconds, as RFC 6350 timestamps have no fractions;
 * - control characters other than tab and line breaks are left out: no vCard value may hold
 *   them, and Outlook refuses a file with one.
 */
function expectedAfterRoundTrip(
  first: Contact,
  written: string,
  version: VcardVersion,
): Record<string, unknown> {
  const fields = mappedFields(withoutControlCharacters(first).contact);
  const lf = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value);
  for (const key of Object.keys(fields)) fields[key] = lf(fields[key]);
  fields.addresses = (fields.addresses as Record<string, string>[]).map((address) =>
    Object.fromEntries(Object.entries(address).map(([k, v]) => [k, lf(v)])),
  );
  const derivedName = /\r\nFN:(.+)\r\n/.exec(written)?.[1]?.replace(/\\([,;\\])/g, '$1');
  if (fields.displayName === undefined && derivedName) fields.displayName = derivedName;
  if (fields.uid === undefined) fields.uid = /\r\nUID:(.*)\r\n/.exec(written)?.[1];
  if (version === '4.0' && typeof fields.updatedAt === 'string') {
    fields.updatedAt = fields.updatedAt.replace(/\.\d+(?=Z|[+-]\d\d:?\d\d$)/, '');
  }
  return fields;
}

/**
 * Reads a file, writes every card it read in the given version, reads that again and asserts
 * that every mapped field came back. Returns how many cards made the trip.
 */
export function assertRoundTrip(bytes: Uint8Array, file: string, version: VcardVersion): number {
  const firstRead = readVCardsSync(bytes, { file });
  let cards = 0;
  for (const [index, item] of firstRead.entries()) {
    if (!item.ok) continue;
    cards++;
    const written = writeVCard(item.value, { version });
    const secondRead = readVCardsSync(written, { file: `${file} (written)` });
    expect(secondRead, `card ${index + 1} of ${file} read back as ${secondRead.length} items`).to.have.length(
      1,
    );
    const again = secondRead[0];
    if (!again?.ok)
      throw new Error(`card ${index + 1} of ${file} no longer reads: ${again?.problem.message}`);
    expect(mappedFields(again.value), `card ${index + 1} of ${file}`).to.deep.equal(
      expectedAfterRoundTrip(item.value, written, version),
    );
  }
  return cards;
}
