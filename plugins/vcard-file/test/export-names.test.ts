import { readdirSync } from 'node:fs';
import { expect } from 'chai';
import { unzipSync } from 'fflate';
import type { Contact } from '../../../core/index.js';
import { VcardOutlookExport } from '../src/export/vcard-outlook-export.js';
import { VcardSingleExport } from '../src/export/vcard-single-export.js';
import { contact } from './support/contacts.js';
import { FileSink, MemorySink } from './support/sinks.js';
import { TempFolder } from './support/temp-folder.js';
import { checkedZipEntries } from './support/zip-check.js';

/** Display names that would make a harmful or misleading file name, and the names crmsync gives instead. */
const hostile: [displayName: string, fileName: string][] = [
  ['CON', '_CON.vcf'],
  ['nul.txt', '_nul.txt.vcf'],
  ['Lpt9', '_Lpt9.vcf'],
  ['com1 .Kopie', '_com1 .Kopie.vcf'],
  ['Console', 'Console.vcf'],
  ['Rechnung\u202Efdp.exe', 'Rechnung_fdp.exe.vcf'],
  ['Isolat\u2066ed\u2069 \u200Fmark', 'Isolat_ed_ _mark.vcf'],
  ['Punkte. . .', 'Punkte.vcf'],
  ['../../etc/passwd', '_.._etc_passwd.vcf'],
  ['C:\\Windows\\win.ini', 'C__Windows_win.ini.vcf'],
  ['Tab\tund\u0085C1', 'Tab_und_C1.vcf'],
  ['\u0000\u0001', 'AP-12.vcf'],
];

const contacts = (): Contact[] =>
  hostile.map(([displayName], i) => contact({ displayName, ids: { crmId: `AP-${i + 1}` } }));

describe('File names of the Outlook export', () => {
  let temp: TempFolder;
  beforeEach(() => {
    temp = new TempFolder();
  });
  afterEach(() => temp.dispose());

  it('names ZIP entries safely for Windows, without path separators, controls or bidi overrides', async () => {
    const sink = new FileSink(temp.join('export.zip'));
    await new VcardOutlookExport().export(contacts(), sink);
    await sink.close();
    expect(checkedZipEntries(sink.path)).to.deep.equal(hostile.map(([, name]) => name));
  });

  it('names files in the export folder the same safe way', async () => {
    const folder = temp.join('outlook');
    await new VcardOutlookExport({ targetFolder: folder }).export(contacts(), new MemorySink());
    expect(readdirSync(folder).sort()).to.deep.equal(hostile.map(([, name]) => name).sort());
  });

  it('keeps a name short enough for every file system, without cutting a character in half', async () => {
    const sink = new FileSink(temp.join('long.zip'));
    await new VcardOutlookExport().export([contact({ displayName: '😀'.repeat(100) })], sink);
    await sink.close();
    const [name] = checkedZipEntries(sink.path);
    expect(Buffer.byteLength(name as string, 'utf8')).to.be.at.most(255);
    expect(name).to.equal(`${'😀'.repeat(50)}.vcf`);
  });
});

describe('Control characters in exported values', () => {
  it('leaves NUL and other C0 controls out of the cards, names the contact and field, and exports the rest', async () => {
    const people = [
      contact({ displayName: 'Eva Wolf', ids: { crmId: 'AP-1' } }),
      contact({
        displayName: 'Bernd\u0000 Bruch',
        notes: 'Zeile eins\r\nZeile\u0007 zwei\tmit Tab',
        emails: [{ address: 'bernd@\u0000example.org', type: 'work' }],
        ids: { crmId: 'AP-2' },
      }),
      contact({ displayName: 'Paul Roth', ids: { crmId: 'AP-3' } }),
    ];
    for (const option of [new VcardSingleExport(), new VcardOutlookExport()]) {
      const sink = new MemorySink();
      const report = await option.export(people, sink);
      expect(report.written).to.equal(3);
      expect(
        report.problems.map((p) => [p.code, p.location.card, p.location.recordId, p.location.field]),
      ).to.deep.equal([
        ['CRMSYNC_ERR_VCARD_CONTROL_CHARACTERS', 2, 'AP-2', 'displayName'],
        ['CRMSYNC_ERR_VCARD_CONTROL_CHARACTERS', 2, 'AP-2', 'notes'],
        ['CRMSYNC_ERR_VCARD_CONTROL_CHARACTERS', 2, 'AP-2', 'emails[0].address'],
      ]);
      expect(report.problems[0]?.message).to.contain('Bernd');
      const cards =
        option instanceof VcardSingleExport
          ? sink.text
          : Object.values(unzipSync(sink.bytes))
              .map((card) => Buffer.from(card).toString('utf8'))
              .join('');
      expect(cards).not.to.contain('\u0000');
      expect(cards).not.to.contain('\u0007');
      expect(cards).to.contain('\r\nFN:Bernd Bruch\r\n');
      expect(cards).to.contain('\r\nNOTE:Zeile eins\\nZeile zwei\tmit Tab\r\n');
      expect(cards).to.contain('\r\nEMAIL;TYPE=INTERNET,WORK:bernd@example.org\r\n');
    }
  });
});
