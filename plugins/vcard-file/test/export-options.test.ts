import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { unzipSync } from 'fflate';
import type { Contact, ExportOption, ExportSettings } from '../../../core/index.js';
import { VcardOutlookExport } from '../src/export/vcard-outlook-export.js';
import { VcardSingleExport } from '../src/export/vcard-single-export.js';
import { contact } from './support/contacts.js';
import { MemorySink } from './support/sinks.js';
import { TempFolder } from './support/temp-folder.js';

const people: Contact[] = [
  contact({ givenName: 'Anna', surname: 'Müller', ids: { crmId: 'AP-1' } }),
  contact({ givenName: 'Anna', surname: 'Müller', ids: { crmId: 'AP-2' } }),
  contact({ displayName: 'Zentrale: Einkauf / Süd', company: 'Kühne AG', ids: { crmId: 'AP-3' } }),
  contact({
    givenName: 'Ömer',
    surname: 'Yılmaz',
    photo: { mediaType: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]) },
    ids: { crmId: 'AP-4' },
  }),
];

async function* slowly(contacts: Contact[]): AsyncIterable<Contact> {
  for (const c of contacts) yield c;
}

const cardsIn = (text: string) => text.match(/^BEGIN:VCARD\r$/gm)?.length ?? 0;

describe('The vCard export options', () => {
  it('packs one vCard 3.0 file per contact into a ZIP for Outlook, each with exactly one card', async () => {
    const sink = new MemorySink();
    const report = await new VcardOutlookExport().export(slowly(people), sink);
    expect(report.written).to.equal(4);
    expect(report.problems).to.deep.equal([]);
    expect(sink.file?.mediaType).to.equal('application/zip');
    expect(sink.file?.fileName).to.match(/\.zip$/);
    expect(report.file).to.deep.equal(sink.file);

    const files = unzipSync(sink.bytes);
    const names = Object.keys(files);
    expect(names).to.have.length(4);
    expect(names).to.include.members(['Müller, Anna.vcf', 'Müller, Anna (2).vcf', 'Yılmaz, Ömer.vcf']);
    expect(names.every((name) => !/[<>:"/\\|?*]/.test(name))).to.equal(true);
    for (const name of names) {
      const text = Buffer.from(files[name] as Uint8Array).toString('utf8');
      expect(cardsIn(text), name).to.equal(1);
      expect(text).to.contain('VERSION:3.0\r\n');
    }
    const crmIds = names.map(
      (name) => /X-CRMSYNC-ID:(.*)\r/.exec(Buffer.from(files[name] as Uint8Array).toString())?.[1],
    );
    expect(crmIds.sort()).to.deep.equal(['AP-1', 'AP-2', 'AP-3', 'AP-4']);
  });

  it('writes one vCard 3.0 file per contact into a folder for Outlook, never over a file already there', async () => {
    const temp = new TempFolder();
    try {
      const target = temp.join('outlook');
      const sink = new MemorySink();
      const first = await new VcardOutlookExport({ targetFolder: target }).export(slowly(people), sink);
      expect(first.written).to.equal(4);
      expect(first.file).to.equal(undefined);
      expect(sink.chunks).to.deep.equal([]);
      writeFileSync(temp.join('outlook', 'Yılmaz, Ömer.vcf'), 'von Hand geändert');
      const again = [people[0] as Contact, people[3] as Contact];
      const second = await new VcardOutlookExport({ targetFolder: target }).export(again, new MemorySink());
      expect(second.written).to.equal(2);

      const names = readdirSync(target).sort();
      expect(names).to.have.length(6);
      expect(names).to.include.members([
        'Müller, Anna.vcf',
        'Müller, Anna (2).vcf',
        'Müller, Anna (3).vcf',
        'Yılmaz, Ömer (2).vcf',
      ]);
      expect(names.every((name) => name.endsWith('.vcf'))).to.equal(true);
      expect(readFileSync(temp.join('outlook', 'Yılmaz, Ömer.vcf'), 'utf8')).to.equal('von Hand geändert');
      for (const name of names.filter((n) => n !== 'Yılmaz, Ömer.vcf')) {
        const text = readFileSync(temp.join('outlook', name), 'utf8');
        expect(cardsIn(text), name).to.equal(1);
        expect(text).to.contain('VERSION:3.0\r\n');
      }
      expect(readFileSync(temp.join('outlook', 'Müller, Anna (3).vcf'), 'utf8')).to.contain(
        'X-CRMSYNC-ID:AP-1',
      );
    } finally {
      temp.dispose();
    }
  });

  it('writes all contacts into one multi-card file in the configured version', async () => {
    const sink = new MemorySink();
    const report = await new VcardSingleExport('4.0').export(people, sink);
    expect(report.written).to.equal(4);
    expect(sink.file?.fileName).to.match(/\.vcf$/);
    expect(sink.file?.mediaType).to.match(/^text\/vcard/);
    const text = sink.text;
    expect(cardsIn(text)).to.equal(4);
    expect(text.match(/^VERSION:4\.0\r$/gm)).to.have.length(4);
  });

  it('reports a contact that cannot be written and exports the others', async () => {
    const broken = {
      ...contact({ surname: 'Kaputt', ids: { crmId: 'AP-9' } }),
      emails: undefined,
    } as unknown as Contact;
    for (const option of [new VcardOutlookExport(), new VcardSingleExport()]) {
      const report = await option.export(
        [people[0] as Contact, broken, people[2] as Contact],
        new MemorySink(),
      );
      expect(report.written).to.equal(2);
      expect(report.problems).to.have.length(1);
      expect(report.problems[0]?.code).to.equal('CRMSYNC_ERR_VCARD_WRITE');
      expect(report.problems[0]?.location).to.deep.include({ card: 2, recordId: 'AP-9' });
    }
  });

  it('writes the version a user asks for in this one export, whatever the configured one', async () => {
    const sink = new MemorySink();
    await new VcardSingleExport('3.0').export(people, sink, { formatVersion: '4.0' });
    expect(sink.text.match(/^VERSION:4\.0\r$/gm)).to.have.length(4);
  });

  it('writes a folder export into the folder a user names for this one export', async () => {
    const temp = new TempFolder();
    try {
      const configured = temp.join('configured');
      const chosen = temp.join('chosen');
      const option = new VcardOutlookExport({ targetFolder: configured });
      const report = await option.export(people, new MemorySink(), { targetFolder: chosen });
      expect(report.written).to.equal(4);
      expect(readdirSync(chosen)).to.have.length(4);
      expect(() => readdirSync(configured)).to.throw(/ENOENT/);
    } finally {
      temp.dispose();
    }
  });

  it('refuses a setting it cannot honour before a byte is written, naming the setting', async () => {
    const refusals: [ExportOption, ExportSettings, string][] = [
      [new VcardOutlookExport(), { formatVersion: '4.0' }, 'formatVersion'],
      [new VcardSingleExport(), { formatVersion: '2.1' }, 'formatVersion'],
      [new VcardOutlookExport(), { targetFolder: '/tmp/x' }, 'targetFolder'],
      [new VcardSingleExport(), { targetFolder: '/tmp/x' }, 'targetFolder'],
    ];
    for (const [option, settings, field] of refusals) {
      const sink = new MemorySink();
      const error = await option.export(people, sink, settings).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(sink.file, field).to.equal(undefined);
      expect(error, field).to.include({ code: 'CRMSYNC_ERR_EXPORT_INVALID' });
      expect((error as { location: object }).location).to.deep.equal({ field });
    }
  });
});
