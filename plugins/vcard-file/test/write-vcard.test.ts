import { expect } from 'chai';
import ICAL from 'ical.js';
import { type Contact, emptyContact } from '../../../core/index.js';
import { stableUid, writeVCard, writeVCards } from '../src/write/index.js';

type JCardProperty = [string, Record<string, unknown>, string, ...unknown[]];

function contact(fields: Partial<Contact>): Contact {
  return { ...emptyContact(), ...fields, ids: { ...fields.ids } };
}

/** The card as ical.js understands it: an independent check that escaping decodes right. */
function parsed(card: string): JCardProperty[] {
  const jcard = ICAL.parse(card) as [string, JCardProperty[], unknown[]];
  return jcard[1];
}

function property(card: string, name: string): JCardProperty {
  const found = parsed(card).find((p) => p[0] === name);
  if (!found) throw new Error(`no ${name} in\n${card}`);
  return found;
}

function physicalLines(card: string): string[] {
  expect(card.endsWith('\r\n')).to.equal(true);
  return card.slice(0, -2).split('\r\n');
}

const jpeg = new Uint8Array(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256));

const anna: Contact = contact({
  salutation: 'Frau',
  title: 'Dr.',
  givenName: 'Anna',
  middleName: 'Maria',
  surname: 'Müller-Lüdenscheidt',
  displayName: 'Dr. Anna Müller-Lüdenscheidt',
  company: 'Müller & Söhne GmbH; Niederlassung Köln',
  department: 'Einkauf, Süd',
  jobTitle: 'Leiterin Einkauf',
  emails: [
    { address: 'anna.mueller@mueller-soehne.de', type: 'work', preferred: true },
    { address: 'anna@example.org', type: 'home' },
  ],
  phones: [
    { number: '+49 221 123456-0', type: 'business' },
    { number: '0171 2345678', type: 'mobile' },
    { number: '+49 221 123456-99', type: 'businessFax' },
  ],
  addresses: [
    {
      type: 'business',
      street: 'Hohe Straße 1\nHinterhaus',
      postalCode: '50667',
      city: 'Köln',
      region: 'NRW',
      country: 'Deutschland',
    },
  ],
  birthday: '1975-04-23',
  notes: 'Mag Kaffee, keinen Tee; Termine nur vormittags.\nRückruf über Zentrale \\ Empfang',
  categories: ['Kunde, A', 'Messe 2026'],
  website: 'https://mueller-soehne.de/team?a=1,2',
  photo: { mediaType: 'image/jpeg', bytes: jpeg },
  ids: { crmId: 'AP-000123' },
  updatedAt: '2026-03-01T08:15:00.000Z',
});

describe('vCard writer', () => {
  it('writes vCard 3.0 by default with CRLF line ends and no bare line feeds', () => {
    const card = writeVCard(anna);
    expect(card.startsWith('BEGIN:VCARD\r\nVERSION:3.0\r\n')).to.equal(true);
    expect(card.endsWith('END:VCARD\r\n')).to.equal(true);
    expect(card.replace(/\r\n/g, '')).not.to.match(/[\r\n]/);
  });

  it('folds every line at 75 octets without splitting a UTF-8 sequence', () => {
    const long = contact({
      displayName: 'ä€😀'.repeat(60),
      notes: 'x'.repeat(33) + 'ü'.repeat(200),
      photo: { mediaType: 'image/jpeg', bytes: jpeg },
    });
    const card = writeVCard(long);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const lines = physicalLines(card);
    for (const line of lines) {
      const bytes = Buffer.from(line, 'utf8');
      expect(bytes.length, line).to.be.at.most(75);
      expect(() => decoder.decode(bytes)).not.to.throw();
    }
    // Folding is invisible after unfolding: the text comes back whole.
    expect(property(card, 'fn')[3]).to.equal('ä€😀'.repeat(60));
    expect(lines.filter((line) => line.startsWith(' ')).length).to.be.greaterThan(40);
  });

  it('escapes commas, semicolons, backslashes and line breaks so that values decode unchanged', () => {
    const card = writeVCard(anna);
    expect(property(card, 'note')[3]).to.equal(anna.notes);
    expect(property(card, 'org')[3]).to.deep.equal([
      'Müller & Söhne GmbH; Niederlassung Köln',
      'Einkauf, Süd',
    ]);
    const adr = property(card, 'adr');
    expect(adr[1].type).to.equal('WORK');
    expect(adr[3]).to.deep.equal([
      '',
      '',
      'Hohe Straße 1\nHinterhaus',
      'Köln',
      'NRW',
      '50667',
      'Deutschland',
    ]);
    expect(property(card, 'categories').slice(3)).to.deep.equal(['Kunde, A', 'Messe 2026']);
    expect(property(card, 'url')[3]).to.equal('https://mueller-soehne.de/team?a=1,2');
  });

  it('puts salutation and academic title in the N prefix and keeps the display name as FN', () => {
    const card = writeVCard(anna);
    expect(property(card, 'n')[3]).to.deep.equal(['Müller-Lüdenscheidt', 'Anna', 'Maria', 'Frau Dr.', '']);
    expect(property(card, 'fn')[3]).to.equal('Dr. Anna Müller-Lüdenscheidt');
  });

  it('derives FN from the name when the contact has no display name of its own', () => {
    const card = writeVCard(contact({ salutation: 'Herr', givenName: 'Jörg', surname: 'Weiß' }));
    expect(property(card, 'fn')[3]).to.equal('Herr Jörg Weiß');
  });

  it('types phones, e-mails and addresses the way Outlook reads them', () => {
    const lines = physicalLines(writeVCard(anna));
    expect(lines).to.include('TEL;TYPE=WORK,VOICE:+49 221 123456-0');
    expect(lines).to.include('TEL;TYPE=CELL,VOICE:0171 2345678');
    expect(lines).to.include('TEL;TYPE=WORK,FAX:+49 221 123456-99');
    expect(lines).to.include('EMAIL;TYPE=INTERNET,WORK,PREF:anna.mueller@mueller-soehne.de');
    expect(lines).to.include('EMAIL;TYPE=INTERNET,HOME:anna@example.org');
    expect(lines).to.include('BDAY:1975-04-23');
    expect(lines).to.include('URL;TYPE=WORK:https://mueller-soehne.de/team?a=1,2');
    expect(lines).to.include('REV:2026-03-01T08:15:00.000Z');
  });

  it('inlines the photo as base64 with its type in vCard 3.0', () => {
    const photo = property(writeVCard(anna), 'photo');
    expect(photo[1]).to.deep.include({ encoding: 'b', type: 'JPEG' });
    expect(new Uint8Array(Buffer.from(String(photo[3]), 'base64'))).to.deep.equal(jpeg);
  });

  it('inlines the photo as a data URI in vCard 4.0', () => {
    const card = writeVCard(anna, { version: '4.0' });
    expect(card).to.contain('VERSION:4.0\r\n');
    const value = String(property(card, 'photo')[3]);
    expect(value.startsWith('data:image/jpeg;base64,')).to.equal(true);
    expect(
      new Uint8Array(Buffer.from(value.slice('data:image/jpeg;base64,'.length), 'base64')),
    ).to.deep.equal(jpeg);
  });

  it('writes vCard 4.0 types in lower case, PREF as a parameter and dates in basic format', () => {
    const lines = physicalLines(writeVCard(anna, { version: '4.0' }));
    expect(lines).to.include('TEL;VALUE=text;TYPE=cell,voice:0171 2345678');
    expect(lines).to.include('EMAIL;TYPE=work;PREF=1:anna.mueller@mueller-soehne.de');
    expect(lines).to.include('BDAY:19750423');
    expect(lines).to.include('REV:20260301T081500Z');
  });

  it('writes a birthday without a year in the form each version allows', () => {
    const noYear = contact({ surname: 'Kurz', birthday: '--02-29' });
    expect(physicalLines(writeVCard(noYear))).to.include('BDAY:--02-29');
    expect(physicalLines(writeVCard(noYear, { version: '4.0' }))).to.include('BDAY:--0229');
  });

  it('carries the CRM id in X-CRMSYNC-ID', () => {
    expect(physicalLines(writeVCard(anna))).to.include('X-CRMSYNC-ID:AP-000123');
  });

  it('gives the same UID to every export of the same CRM contact', () => {
    const first = property(writeVCard(anna), 'uid')[3];
    const edited = property(writeVCard({ ...anna, surname: 'Schmidt', emails: [] }), 'uid')[3];
    const other = property(writeVCard({ ...anna, ids: { crmId: 'AP-000124' } }), 'uid')[3];
    expect(first).to.match(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(edited).to.equal(first);
    expect(other).not.to.equal(first);
  });

  it('keeps a UID the contact already has', () => {
    const card = writeVCard({ ...anna, ids: { crmId: 'AP-1', uid: 'apple-4711-abc' } });
    expect(property(card, 'uid')[3]).to.equal('apple-4711-abc');
    expect(stableUid({ ...anna, ids: { uid: 'apple-4711-abc' } })).to.equal('apple-4711-abc');
  });

  it('writes unknown properties back verbatim and never duplicates its own', () => {
    const kept = contact({
      surname: 'Graf',
      extensions: {
        vcard: {
          unknown: [
            'X-SKYPE:graf.b',
            'item1.X-ABLabel:Assistenz',
            'X-MS-OL-DESIGN;CHARSET=utf-8:<card xmlns="http://schemas.microsoft.com/office/outlook/12/electronicbusinesscards" ver="1.0"/>',
            'PRODID:-//Apple Inc.//iPhone OS 17//EN',
            'VERSION:2.1',
            'END:VCARD',
            'X-BROKEN:line\r\nEND:VCARD',
          ],
        },
      },
    });
    const card = writeVCard(kept);
    const unfolded = card.replace(/\r\n /g, '');
    expect(unfolded).to.contain('\r\nX-SKYPE:graf.b\r\n');
    expect(unfolded).to.contain('\r\nitem1.X-ABLabel:Assistenz\r\n');
    expect(unfolded).to.contain('electronicbusinesscards" ver="1.0"/>\r\n');
    expect(unfolded.match(/^PRODID:/gm)).to.have.length(1);
    expect(unfolded.match(/^VERSION:/gm)).to.have.length(1);
    expect(unfolded.match(/^END:VCARD/gm)).to.have.length(1);
    expect(unfolded).not.to.contain('X-BROKEN');
  });

  it('skips a kept line that is no content line, so the written card still reads', () => {
    const kept = contact({
      surname: 'Graf',
      extensions: {
        vcard: {
          unknown: ['garbage without colon', 'E', ':no name', 'X-GOOGLE TALK:anna.b', 'X-KEPT;TYPE=x:ja'],
        },
      },
    });
    const lines = physicalLines(writeVCard(kept));
    expect(lines).to.include('X-KEPT;TYPE=x:ja');
    expect(lines, "a producer's odd but readable name is kept").to.include('X-GOOGLE TALK:anna.b');
    for (const bad of ['garbage without colon', 'E', ':no name']) expect(lines, bad).not.to.include(bad);
    expect(lines[lines.length - 1]).to.equal('END:VCARD');
    expect(() => parsed(writeVCard(kept))).not.to.throw();
  });

  it('streams one card per contact', async () => {
    const cards: string[] = [];
    for await (const card of writeVCards([anna, contact({ surname: 'Zwei' })], { version: '4.0' }))
      cards.push(card);
    expect(cards).to.have.length(2);
    expect(cards.every((card) => card.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\n'))).to.equal(true);
  });
});
