import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import ICAL from 'ical.js';
import { fixture } from '../../../../test/support/paths.js';
import { readVCardsSync } from '../../src/read/index.js';

/**
 * ical.js is the reference parser for clean vCard 3.0/4.0: on every such card of the real
 * fixtures, crmsync must read the same display name, e-mail addresses, number of phones and
 * addresses and the same family and given names. Files ical.js cannot read correctly are left
 * out: vCard 2.1 and QUOTED-PRINTABLE, 8-bit code pages, and CR CR LF line endings: ical.js
 * splits only at LF, so it leaves a trailing CR in every value (N and ADR then stay one
 * string) and keeps the CR of each folded line inside the unfolded value, which corrupts
 * base64 photos. A file with CR-only line endings makes ical.js throw ("component began but
 * did not end"), so such files are skipped where it fails to parse.
 */
const realDir = fixture('vcard', 'real');

function cleanForIcalJs(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) return undefined;
  if (!/^VERSION:(3\.0|4\.0)\r?$/m.test(text) || /QUOTED-PRINTABLE/i.test(text) || text.includes('\r\r\n')) {
    return undefined;
  }
  return text;
}

const plain = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() && !value.includes('\\') ? value : undefined;

describe('vCard reader compared with ical.js', () => {
  it('leaves out CR CR LF and CR-only files because ical.js misreads them, while crmsync reads them right', () => {
    const lines = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:John Doe',
      'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ',
      ' SkZJRg==',
      'END:VCARD',
      '',
    ];
    const crcrlf = lines.join('\r\r\n');
    const card = new ICAL.Component(ICAL.parse(crcrlf) as unknown[]);
    expect(card.getFirstPropertyValue('fn')).to.equal('John Doe\r');
    expect(String(card.getFirstPropertyValue('photo'))).to.equal('/9j/4AAQ\rSkZJRg==\r');
    expect(() => ICAL.parse(lines.join('\r'))).to.throw(/did not end/);
    for (const text of [crcrlf, lines.join('\r')]) {
      const [result] = readVCardsSync(text);
      if (!result?.ok) throw new Error('the card must read');
      expect(result.value.displayName).to.equal('John Doe');
      expect(Buffer.from(result.value.photo?.bytes ?? []).toString('base64')).to.equal('/9j/4AAQSkZJRg==');
    }
  });

  it('agrees with ical.js on names, e-mails, phones and addresses of every clean 3.0/4.0 card', () => {
    let compared = 0;
    const disagreements: string[] = [];
    for (const file of readdirSync(realDir).sort()) {
      const bytes = readFileSync(join(realDir, file));
      const text = cleanForIcalJs(bytes);
      if (text === undefined) continue;
      let parsed: unknown;
      try {
        parsed = ICAL.parse(text);
      } catch {
        continue;
      }
      const jcards = (Array.isArray((parsed as unknown[])[0]) ? parsed : [parsed]) as unknown[];
      const ours = readVCardsSync(bytes);
      expect(ours, `${file}: number of cards`).to.have.length(jcards.length);
      jcards.forEach((jcard, index) => {
        const result = ours[index];
        if (!result?.ok) return;
        const contact = result.value;
        const card = new ICAL.Component(jcard as unknown[]);
        const values = (name: string) =>
          card
            .getAllProperties(name)
            .map((property) => String(property.getFirstValue() ?? '').trim())
            .filter(Boolean);
        const fn = plain(card.getFirstPropertyValue('fn'));
        const n = card.getFirstPropertyValue('n');
        const [family, given] = Array.isArray(n) ? n : [n];
        const theirs = {
          fn: fn ?? contact.displayName,
          emails: values('email'),
          phones: values('tel').length,
          addresses: card.getAllProperties('adr').filter((property) => {
            const value = property.getFirstValue();
            return Array.isArray(value)
              ? value.some((part) => String(part).trim())
              : String(value ?? '').trim();
          }).length,
          family: plain(family) ?? contact.surname,
          given: plain(given) ?? contact.givenName,
        };
        const mine = {
          fn: contact.displayName,
          emails: contact.emails.map((email) => email.address),
          phones: contact.phones.length,
          addresses: contact.addresses.length,
          family: contact.surname,
          given: contact.givenName,
        };
        compared++;
        if (JSON.stringify(theirs) !== JSON.stringify(mine)) {
          disagreements.push(
            `${file} card ${index + 1}: ical.js ${JSON.stringify(theirs)} crmsync ${JSON.stringify(mine)}`,
          );
        }
      });
    }
    expect(compared).to.be.greaterThan(1000);
    expect(disagreements, disagreements.join('\n')).to.deep.equal([]);
  });
});
