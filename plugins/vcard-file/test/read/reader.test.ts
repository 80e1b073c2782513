import { createHash } from 'node:crypto';
import { expect } from 'chai';
import iconv from 'iconv-lite';
import type { Contact, Fetched, RecordProblem } from '../../../../core/index.js';
import { readVCards, readVCardsSync } from '../../src/read/index.js';

function contacts(results: Fetched<Contact>[]): Contact[] {
  return results.flatMap((result) => (result.ok ? [result.value] : []));
}

function problems(results: Fetched<Contact>[]): RecordProblem[] {
  return results.flatMap((result) => (result.ok ? [] : [result.problem]));
}

function only(input: string | Uint8Array): Contact {
  const results = readVCardsSync(input);
  expect(problems(results)).to.deep.equal([]);
  expect(results).to.have.length(1);
  return (results[0] as { value: Contact }).value;
}

function unknownOf(contact: Contact): string[] {
  return (contact.extensions?.vcard as { unknown: string[] } | undefined)?.unknown ?? [];
}

const card30 = (...lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join('\r\n');
const card21 = (...lines: string[]) => ['BEGIN:VCARD', 'VERSION:2.1', ...lines, 'END:VCARD', ''].join('\r\n');
const card40 = (...lines: string[]) => ['BEGIN:VCARD', 'VERSION:4.0', ...lines, 'END:VCARD', ''].join('\r\n');

describe('vCard reader', () => {
  describe('files and encodings', () => {
    const two = `${card30('FN:Anna Alt')}${card30('FN:Bernd Brandt')}`;

    for (const [name, eol] of [
      ['CRLF', '\r\n'],
      ['LF', '\n'],
      ['CR', '\r'],
      ['CR CR LF', '\r\r\n'],
    ] as const) {
      it(`reads several cards from a file with ${name} line endings`, () => {
        const text = two.replace(/\r\n/g, eol);
        expect(contacts(readVCardsSync(text)).map((contact) => contact.displayName)).to.deep.equal([
          'Anna Alt',
          'Bernd Brandt',
        ]);
      });
    }

    it('reads UTF-8 with a byte-order mark', () => {
      expect(only(`\uFEFF${card30('FN:Jörg Möller')}`).displayName).to.equal('Jörg Möller');
    });

    it('reads UTF-16 little-endian with BOM and big-endian without BOM', () => {
      const text = card30('FN:Ǽgean ĽdaMonté');
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
      const be = iconv.encode(text, 'utf-16be');
      expect(only(le).displayName).to.equal('Ǽgean ĽdaMonté');
      expect(only(be).displayName).to.equal('Ǽgean ĽdaMonté');
    });

    it('decodes CHARSET parameters and raw 8-bit text in Windows code pages', () => {
      const bytes = Buffer.concat([
        Buffer.from('BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1:'),
        iconv.encode('Müller;Jürgen', 'latin1'),
        Buffer.from('\r\nFN;CHARSET=windows-1252:'),
        iconv.encode('Jürgen Müller – Vertrieb', 'windows-1252'),
        Buffer.from('\r\nEND:VCARD\r\n'),
      ]);
      const contact = only(bytes);
      expect([contact.surname, contact.givenName, contact.displayName]).to.deep.equal([
        'Müller',
        'Jürgen',
        'Jürgen Müller – Vertrieb',
      ]);
    });

    it('falls back to Windows-1252 when CHARSET names no code page or a binary encoding', () => {
      for (const charset of ['Murks', 'hex', 'base64', 'UTF-16']) {
        const bytes = Buffer.concat([
          Buffer.from(`BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=${charset}:`),
          iconv.encode('Sören Nüßle', 'windows-1252'),
          Buffer.from('\r\nEND:VCARD\r\n'),
        ]);
        expect(only(bytes).displayName, charset).to.equal('Sören Nüßle');
      }
    });

    it('decodes vCard 2.1 QUOTED-PRINTABLE with soft line breaks and a charset', () => {
      const contact = only(
        card21(
          'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Br=C3=BC=',
          'ning;Micha=',
          'el',
          'NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=windows-1252:Erste Zeile=0D=0AZweite =',
          'Zeile mit =E4',
        ),
      );
      expect([contact.surname, contact.givenName]).to.deep.equal(['Brüning', 'Michael']);
      expect(contact.notes).to.equal('Erste Zeile\nZweite Zeile mit ä');
    });

    it('unfolds folded lines, including a fold inside a UTF-8 character', () => {
      const bytes = Buffer.concat([
        Buffer.from('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Gr'),
        Buffer.from([0xc3]),
        Buffer.from('\r\n '),
        Buffer.from([0xbc]),
        Buffer.from('n\r\n Wald\r\nEND:VCARD\r\n'),
      ]);
      expect(only(bytes).displayName).to.equal('GrünWald');
    });

    it('joins vCard 2.1 base64 data continued on unindented lines up to the blank line', () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]).toString(
        'base64',
      );
      const contact = only(
        card21('PHOTO;ENCODING=BASE64;PNG:', png.slice(0, 10), png.slice(10), '', 'TEL;CELL:0171 1234567'),
      );
      expect(contact.photo?.bytes?.length).to.equal(16);
      expect(contact.photo?.mediaType).to.equal('image/png');
      expect(contact.phones).to.have.length(1);
    });
  });

  describe('mapping to the contact model', () => {
    it('maps names, splitting the N prefix into salutation and academic title', () => {
      const contact = only(
        card30('N:Schmidt;Anna;Maria;Frau Prof. Dr.;MBA', 'FN:Prof. Dr. Anna Schmidt', 'NICKNAME:Anni,Ann'),
      );
      expect(contact).to.include({
        surname: 'Schmidt',
        givenName: 'Anna',
        middleName: 'Maria',
        salutation: 'Frau',
        title: 'Prof. Dr.',
        suffix: 'MBA',
        displayName: 'Prof. Dr. Anna Schmidt',
        nickname: 'Anni, Ann',
      });
      expect(only(card30('N:Weber;Tom;;Mr.;')).salutation).to.equal('Mr.');
      expect(only(card30('N:Weber;Tom;;Dr.;')).title).to.equal('Dr.');
    });

    it('maps organisation, department, job title and uses ROLE only when there is no TITLE', () => {
      const withTitle = only(card30('FN:A', 'ORG:Beispiel GmbH;Vertrieb', 'TITLE:Leiter', 'ROLE:Einkauf'));
      expect(withTitle).to.include({ company: 'Beispiel GmbH', department: 'Vertrieb', jobTitle: 'Leiter' });
      expect(unknownOf(withTitle)).to.deep.equal(['ROLE:Einkauf']);
      expect(only(card30('FN:A', 'ROLE:Einkauf')).jobTitle).to.equal('Einkauf');
    });

    it('types phones from TYPE parameters, bare 2.1 parameters and PREF', () => {
      const contact = only(
        card21(
          'FN:A',
          'TEL;WORK;VOICE:030 1234567',
          'TEL;CELL;VOICE;PREF:0171 1234567',
          'TEL;HOME:040 7654321',
          'TEL;WORK;FAX:030 1234568',
          'TEL;HOME;FAX:040 7654322',
          'TEL;PAGER:0161 1',
          'TEL;VOICE:0800 1',
        ),
      );
      expect(contact.phones.map((phone) => phone.type)).to.deep.equal([
        'business',
        'mobile',
        'home',
        'businessFax',
        'homeFax',
        'pager',
        'other',
      ]);
      expect(contact.phones[1]).to.deep.equal({
        number: '0171 1234567',
        type: 'mobile',
        e164: '+491711234567',
        preferred: true,
      });
    });

    it('reads vCard 4.0 tel: URIs, quoted TYPE lists and PREF=1', () => {
      const contact = only(
        card40(
          'FN:A',
          'TEL;VALUE=uri;TYPE="voice,cell";PREF=1:tel:+49-171-1234567',
          'EMAIL;TYPE=work:a@example.com',
        ),
      );
      expect(contact.phones[0]).to.deep.equal({
        number: '+49-171-1234567',
        type: 'mobile',
        e164: '+491711234567',
        preferred: true,
      });
      expect(contact.emails[0]).to.deep.equal({ address: 'a@example.com', type: 'work' });
    });

    it('types a grouped phone or e-mail from its X-ABLabel and keeps the label line', () => {
      const contact = only(
        card30(
          'FN:A',
          'item1.TEL:0171 1234567',
          'item1.X-ABLabel:_$!<Mobile>!$_',
          'item2.EMAIL:a@b.de',
          'item2.X-ABLabel:Work',
        ),
      );
      expect(contact.phones[0]?.type).to.equal('mobile');
      expect(contact.emails[0]?.type).to.equal('work');
      expect(unknownOf(contact)).to.deep.equal(['item1.X-ABLabel:_$!<Mobile>!$_', 'item2.X-ABLabel:Work']);
    });

    it('unescapes commas, semicolons and line breaks in vCard 3.0 values', () => {
      const contact = only(
        card30(
          'FN:Müller\\, Hans',
          'NOTE:Zeile 1\\nZeile 2\\; mit Semikolon',
          'ADR;TYPE=WORK:;Haus B;Hauptstr. 1\\, Hof;Berlin;BE;10115;DE',
        ),
      );
      expect(contact.displayName).to.equal('Müller, Hans');
      expect(contact.notes).to.equal('Zeile 1\nZeile 2; mit Semikolon');
      expect(contact.addresses[0]).to.deep.equal({
        type: 'business',
        street: 'Haus B\nHauptstr. 1, Hof',
        city: 'Berlin',
        region: 'BE',
        postalCode: '10115',
        country: 'DE',
      });
    });

    it('reads birthdays in every common form and keeps an impossible date as written', () => {
      for (const [value, expected] of [
        ['19700101', '1970-01-01'],
        ['1970-01-01', '1970-01-01'],
        ['1970-01-01T00:00:00Z', '1970-01-01'],
        ['--0203', '--02-03'],
        ['--02-03', '--02-03'],
        ['16040512', '--05-12'],
      ]) {
        expect(only(card30('FN:A', `BDAY:${value}`)).birthday, value).to.equal(expected);
      }
      const impossible = only(card30('FN:A', 'BDAY:19723101'));
      expect(impossible.birthday).to.equal(undefined);
      expect(unknownOf(impossible)).to.deep.equal(['BDAY:19723101']);
    });

    it('maps UID, X-CRMSYNC-ID, REV, URL, CATEGORIES and NOTE', () => {
      const contact = only(
        card30(
          'FN:A',
          'UID:urn:uuid:1234',
          'X-CRMSYNC-ID:CP-42',
          'REV:20240102T030405Z',
          'URL:https://example.com/',
          'CATEGORIES:Kunde,VIP',
          'CATEGORIES:Messe',
          'NOTE:erste',
          'NOTE:zweite',
        ),
      );
      expect(contact.ids).to.include({ uid: 'urn:uuid:1234', crmId: 'CP-42' });
      expect(contact).to.include({
        updatedAt: '2024-01-02T03:04:05Z',
        website: 'https://example.com/',
        notes: 'erste\nzweite',
      });
      expect(contact.categories).to.deep.equal(['Kunde', 'VIP', 'Messe']);
    });

    it('sets the content hash to the SHA-256 of the card bytes as they are in the file', () => {
      const first = card30('FN:A');
      const second = card30('FN:B');
      const [a, b] = contacts(readVCardsSync(first + second));
      expect(a?.ids.groupwareVersion).to.equal(createHash('sha256').update(first).digest('hex'));
      expect(b?.ids.groupwareVersion).to.equal(createHash('sha256').update(second).digest('hex'));
    });

    it('reads inline photos as bytes with media type and hash, and a photo URL as a reference only', () => {
      const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
      const inline = only(card30('FN:A', `PHOTO;ENCODING=b;TYPE=JPEG:${jpeg.toString('base64')}`)).photo;
      expect(inline?.mediaType).to.equal('image/jpeg');
      expect(Buffer.from(inline?.bytes ?? []).equals(jpeg)).to.equal(true);
      expect(inline?.hash).to.equal(createHash('sha256').update(jpeg).digest('hex'));
      const dataUri = only(card40('FN:A', `PHOTO:data:image/jpeg;base64,${jpeg.toString('base64')}`)).photo;
      expect(dataUri?.hash).to.equal(inline?.hash);
      const byUrl = only(card30('FN:A', 'PHOTO;VALUE=uri:https://example.com/a.png')).photo;
      expect(byUrl).to.deep.equal({ mediaType: 'image/png', url: 'https://example.com/a.png' });
    });
  });

  describe('unknown properties', () => {
    it("keeps lines shaped NAME:value or NAME;params:value, real producers' odd names included, and drops lines that are not properties", () => {
      const contact = only(
        card30(
          'FN:A',
          'this is garbage without colon',
          'X-SKYPE:alice.b',
          'E',
          'item1.X-LABEL;TYPE=x:y',
          'X-GOOGLE TALK:alice.b',
          'X-messaging/skype-All:alice.b',
          ':no name',
        ),
      );
      expect(unknownOf(contact)).to.deep.equal([
        'X-SKYPE:alice.b',
        'item1.X-LABEL;TYPE=x:y',
        'X-GOOGLE TALK:alice.b',
        'X-messaging/skype-All:alice.b',
      ]);
    });

    it('rejects a card that holds nothing but lines that are not properties', () => {
      expect(problems(readVCardsSync(card30('this is garbage without colon')))[0]?.code).to.equal(
        'CRMSYNC_ERR_VCARD_EMPTY',
      );
    });

    it('writes a kept property with an empty parameter back without it', () => {
      const contact = only(
        card30(
          'FN:A',
          'NOPARAM;:pas-id-1',
          'TAIL;PARAM=value;:pas-id-2',
          'MIDDLE;PARAM=value;;PARAM2=value2:pas-id-3',
        ),
      );
      expect(unknownOf(contact)).to.deep.equal([
        'NOPARAM:pas-id-1',
        'TAIL;PARAM=value:pas-id-2',
        'MIDDLE;PARAM=value;PARAM2=value2:pas-id-3',
      ]);
    });

    it('keeps unmapped properties as unfolded lines with their parameters', () => {
      const contact = only(
        card30('FN:A', 'X-SKYPE:alice.b', 'X-SOCIALPROFILE;TYPE=twitter:https://x.example', ' /alice'),
      );
      expect(unknownOf(contact)).to.deep.equal([
        'X-SKYPE:alice.b',
        'X-SOCIALPROFILE;TYPE=twitter:https://x.example/alice',
      ]);
    });

    it('decodes vCard 2.1 unknown properties to UTF-8 and writes their parameters the 3.0 way', () => {
      const contact = only(
        card21(
          'FN:A',
          'X-GRUSS;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE;HOME:Gr=FC=DFe=0D=0Aaus C:\\Temp',
          'X-NOTIZ;X-LABEL=a^nb:v',
        ),
      );
      expect(unknownOf(contact)).to.deep.equal([
        'X-GRUSS;TYPE=HOME:Grüße\\naus C:\\\\Temp',
        'X-NOTIZ;X-LABEL="a^nb":v',
      ]);
    });
  });

  describe('bad input', () => {
    it('reports a broken card with file, card, line and field, and imports every other card', () => {
      const text = `${card30('FN:Eins')}${card30('FN:Zwei', 'PHOTO;ENCODING=b:not*base64')}${card30('FN:Drei')}`;
      const results = readVCardsSync(text, { file: 'kontakte.vcf' });
      expect(contacts(results).map((contact) => contact.displayName)).to.deep.equal(['Eins', 'Drei']);
      expect(problems(results)).to.have.length(1);
      const problem = problems(results)[0] as RecordProblem;
      expect(problem.code).to.equal('CRMSYNC_ERR_VCARD_BAD_PHOTO');
      expect(problem.location).to.deep.equal({ file: 'kontakte.vcf', card: 2, line: 8, field: 'PHOTO' });
      expect(problem.message).to.include('base64');
    });

    it('skips a card over the size limit with a clear error and reads the next card', () => {
      const big = card30('FN:Gross', `NOTE:${'x'.repeat(5000)}`);
      const results = readVCardsSync(`${card30('FN:Klein')}${big}${card30('FN:Danach')}`, {
        file: 'a.vcf',
        maxCardBytes: 1024,
      });
      expect(contacts(results).map((contact) => contact.displayName)).to.deep.equal(['Klein', 'Danach']);
      const problem = problems(results)[0] as RecordProblem;
      expect(problem.code).to.equal('CRMSYNC_ERR_VCARD_TOO_LARGE');
      expect(problem.location).to.deep.equal({ file: 'a.vcf', card: 2, line: 5, field: 'NOTE' });
      expect(problem.message).to.include('1024 bytes');
      expect(problem.message).to.include('NOTE');
      expect(problem.message).to.include('raise maxCardBytes in config/plugins/vcard-file.json');
    });

    it('stops buffering an oversized card that arrives in pieces and goes on with the next card', async () => {
      const text = Buffer.from(`${card30('FN:Gross', `NOTE:${'x'.repeat(50_000)}`)}${card30('FN:Danach')}`);
      async function* pieces() {
        for (let offset = 0; offset < text.length; offset += 100) yield text.subarray(offset, offset + 100);
      }
      const results: Fetched<Contact>[] = [];
      for await (const result of readVCards(pieces(), { maxCardBytes: 1024 })) results.push(result);
      expect(
        problems(results).map((problem) => [problem.code, problem.location.card, problem.location.line]),
      ).to.deep.equal([['CRMSYNC_ERR_VCARD_TOO_LARGE', 1, 1]]);
      expect(problems(results)[0]?.location.field).to.equal('NOTE');
      expect(contacts(results).map((contact) => contact.displayName)).to.deep.equal(['Danach']);
    });

    it('rejects a photo over the photo limit without decoding it and reads the next card', () => {
      const photo = Buffer.alloc(3000, 7).toString('base64');
      const results = readVCardsSync(`${card30('FN:A', `PHOTO;ENCODING=b:${photo}`)}${card30('FN:B')}`, {
        maxPhotoBytes: 1000,
      });
      expect(problems(results)[0]?.code).to.equal('CRMSYNC_ERR_VCARD_PHOTO_TOO_LARGE');
      expect(problems(results)[0]?.location.field).to.equal('PHOTO');
      expect(contacts(results).map((contact) => contact.displayName)).to.deep.equal(['B']);
    });

    it('with the default limits, reads a 5 MiB photo folded over many lines in full', () => {
      const photo = Buffer.alloc(5 * 1024 * 1024, 7);
      photo.set([0xff, 0xd8, 0xff, 0xe0]);
      const folded = photo.toString('base64').replace(/(.{74})/g, '$1\r\n ');
      const contact = only(card30('FN:A', `PHOTO;ENCODING=b;TYPE=JPEG:${folded}`));
      expect(contact.photo?.bytes?.length).to.equal(photo.length);
      expect(contact.photo?.mediaType).to.equal('image/jpeg');
    });

    it('with the default limits, rejects a 5.5 MiB photo for its size and names PHOTO rather than the card size', () => {
      // 5.5 MiB in base64 is about 7.3 MiB: under the card limit, over the photo limit.
      const photo = Buffer.alloc(5.5 * 1024 * 1024, 7).toString('base64');
      const results = readVCardsSync(card30('FN:A', `PHOTO;ENCODING=b;TYPE=JPEG:${photo}`), {
        file: 'p.vcf',
      });
      expect(problems(results)).to.have.length(1);
      const problem = problems(results)[0] as RecordProblem;
      expect(problem.code).to.equal('CRMSYNC_ERR_VCARD_PHOTO_TOO_LARGE');
      expect(problem.location).to.deep.equal({ file: 'p.vcf', card: 1, line: 4, field: 'PHOTO' });
      expect(problem.message)
        .to.include('PHOTO')
        .and.include(String(5 * 1024 * 1024));
    });

    it('reports text outside any card by line and still reads the cards around it', () => {
      const results = readVCardsSync(`${card30('FN:A')}Hallo Welt\r\n${card30('FN:B')}`, { file: 'x.vcf' });
      expect(contacts(results).map((contact) => contact.displayName)).to.deep.equal(['A', 'B']);
      expect(problems(results)[0]).to.deep.include({ code: 'CRMSYNC_ERR_VCARD_OUTSIDE_CARD' });
      expect(problems(results)[0]?.location).to.deep.equal({ file: 'x.vcf', line: 5 });
      expect(problems(results)[0]?.message).to.equal(
        'text outside BEGIN:VCARD … END:VCARD is ignored ("Hallo Welt")',
      );
    });

    it('says that a card whose BEGIN:VCARD is missing is not imported, naming its lines', () => {
      const text = `VERSION:3.0\r\nN:Doe;John;;Mr;\r\nFN:John Doe\r\nEND:VCARD\r\n${card30('FN:B')}`;
      const results = readVCardsSync(text, { file: 'x.vcf' });
      expect(contacts(results).map((contact) => contact.displayName)).to.deep.equal(['B']);
      expect(problems(results)).to.have.length(1);
      const problem = problems(results)[0] as RecordProblem;
      expect(problem.code).to.equal('CRMSYNC_ERR_VCARD_OUTSIDE_CARD');
      expect(problem.location).to.deep.equal({ file: 'x.vcf', line: 1 });
      expect(problem.message).to.include('a card without BEGIN:VCARD at line 1 is not imported');
      expect(problem.message).to.include('END:VCARD at line 4');
    });

    it('says that a card whose BEGIN:VCARD is indented is not imported, and why', () => {
      const results = readVCardsSync(' BEGIN:VCARD\r\nVERSION:3.0\r\nFN:John Doe\r\nEND:VCARD\r\n');
      expect(contacts(results)).to.deep.equal([]);
      const message = problems(results)[0]?.message;
      expect(message).to.include('a card without BEGIN:VCARD at line 1 is not imported');
      expect(message).to.include('indented');
    });

    it('reports a card cut off at the end of the file and drops its last property, which may be cut', () => {
      const results = readVCardsSync(
        'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Abgeschnitten\r\nTEL:030 1\r\nNOTE:first part of a lo',
        { file: 'cut.vcf' },
      );
      expect(contacts(results).map((contact) => [contact.displayName, contact.phones.length])).to.deep.equal([
        ['Abgeschnitten', 1],
      ]);
      expect((contacts(results)[0] as Contact).notes).to.equal(undefined);
      expect(problems(results)).to.have.length(1);
      const problem = problems(results)[0] as RecordProblem;
      expect(problem.code).to.equal('CRMSYNC_ERR_VCARD_TRUNCATED');
      expect(problem.location).to.deep.equal({ file: 'cut.vcf', card: 1, line: 1, field: 'NOTE' });
      expect(problem.message).to.include('the file ends at line 5 inside the card that starts at line 1');
      expect(problem.message).to.include('NOTE (line 5)');
      expect(problem.message).to.include('dropped');
    });

    it('does not import a cut-off base64 photo as a smaller image', () => {
      const photo = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256)).toString(
        'base64',
      );
      const folded = photo.match(/.{1,74}/g)?.join('\r\n ') ?? '';
      const whole = card30('FN:Foto', `PHOTO;ENCODING=b;TYPE=JPEG:${folded}`);
      // Cut after two complete folded lines of the photo: the rest looks like a shorter image.
      const cut = whole.slice(0, whole.indexOf(photo.slice(150, 160)));
      const results = readVCardsSync(cut);
      expect(contacts(results)).to.have.length(1);
      expect((contacts(results)[0] as Contact).photo).to.equal(undefined);
      expect(problems(results).map((problem) => [problem.code, problem.location.field])).to.deep.equal([
        ['CRMSYNC_ERR_VCARD_TRUNCATED', 'PHOTO'],
      ]);
    });

    it('drops the unfinished last line of a file cut inside END:VCARD and keeps the complete lines before it', () => {
      const results = readVCardsSync('BEGIN:VCARD\nVERSION:3.0\nFN:Frank\nTEL;TYPE=FAX:+1-919-676-9564\nE\n');
      const contact = contacts(results)[0] as Contact;
      expect(contact.phones.map((phone) => phone.number)).to.deep.equal(['+1-919-676-9564']);
      expect(unknownOf(contact)).to.deep.equal([]);
      expect(problems(results)[0]?.message).to.include('unfinished last line "E" (line 5)');
    });

    it('reports a card cut off before anything but its last line as not imported', () => {
      const results = readVCardsSync('BEGIN:VCARD\r\nFN:Nur ein Na');
      expect(contacts(results)).to.deep.equal([]);
      expect(problems(results).map((problem) => problem.code)).to.deep.equal(['CRMSYNC_ERR_VCARD_TRUNCATED']);
      expect(problems(results)[0]?.message).to.include('not imported');
    });

    it('rejects a card with nothing in it', () => {
      expect(problems(readVCardsSync('BEGIN:VCARD\r\nEND:VCARD\r\n'))[0]?.code).to.equal(
        'CRMSYNC_ERR_VCARD_EMPTY',
      );
    });
  });

  describe('streaming', () => {
    it('yields the first contact before the rest of the input has arrived', async () => {
      let releaseRest: () => void = () => {};
      const restRequested = new Promise<void>((resolve) => {
        releaseRest = resolve;
      });
      let restSent = false;
      async function* input() {
        yield Buffer.from(card30('FN:Erster'));
        await restRequested;
        restSent = true;
        yield Buffer.from(card30('FN:Zweiter'));
      }
      const names: string[] = [];
      for await (const result of readVCards(input())) {
        if (result.ok) names.push(`${result.value.displayName}${restSent ? '' : ' (before the rest)'}`);
        releaseRest();
      }
      expect(names).to.deep.equal(['Erster (before the rest)', 'Zweiter']);
    });

    it('skips cards nested in an oversized card the same way however the input is chunked', async () => {
      const text = Buffer.from(
        [
          'BEGIN:VCARD',
          `NOTE:${'x'.repeat(3000)}`,
          card21('N:innen').trimEnd(),
          'N:aussen',
          'END:VCARD',
          card30('FN:danach'),
        ].join('\r\n'),
      );
      const limits = { maxCardBytes: 1024 };
      const codes = (results: Fetched<Contact>[]) =>
        results.map((result) =>
          result.ok
            ? result.value.displayName
            : `${result.problem.code} card ${result.problem.location.card}`,
        );
      const expected = ['CRMSYNC_ERR_VCARD_TOO_LARGE card 1', 'CRMSYNC_ERR_VCARD_TOO_LARGE card 2', 'danach'];
      expect(codes(readVCardsSync(text, limits))).to.deep.equal(expected);
      async function* bytewise() {
        for (let offset = 0; offset < text.length; offset++) yield text.subarray(offset, offset + 1);
      }
      const streamed: Fetched<Contact>[] = [];
      for await (const result of readVCards(bytewise(), limits)) streamed.push(result);
      expect(codes(streamed)).to.deep.equal(expected);
    });

    it('splits cards correctly whatever the chunk boundaries', async () => {
      const text = Buffer.from(
        `\uFEFF${card30('FN:A', 'NOTE:x')}\r\n${card21('FN:B')}`.replace(/\r\n/g, '\r\r\n'),
      );
      const expected = readVCardsSync(text);
      for (const size of [1, 2, 3, 5, 13]) {
        async function* chunks() {
          for (let offset = 0; offset < text.length; offset += size)
            yield text.subarray(offset, offset + size);
        }
        const streamed: Fetched<Contact>[] = [];
        for await (const result of readVCards(chunks())) streamed.push(result);
        expect(streamed, `chunks of ${size}`).to.deep.equal(expected);
      }
      expect(contacts(expected)).to.have.length(2);
    });
  });
});
