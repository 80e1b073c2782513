import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Contact, ExportFile, ExportSink } from '../../../core/index.js';
import { VcardOutlookExport } from '../src/export/vcard-outlook-export.js';
import { VcardSingleExport } from '../src/export/vcard-single-export.js';
import { contact } from './support/contacts.js';
import { FileSink, MemorySink } from './support/sinks.js';
import { TempFolder } from './support/temp-folder.js';
import { checkedZipEntries, isZip64 } from './support/zip-check.js';

function* people(count: number, fields: (i: number) => Partial<Contact>): Iterable<Contact> {
  for (let i = 1; i <= count; i++) yield contact({ ...fields(i), ids: { crmId: `AP-${i}` } });
}

describe('Streaming vCard exports', () => {
  let temp: TempFolder;
  beforeEach(() => {
    temp = new TempFolder();
  });
  afterEach(() => temp.dispose());

  async function zipOf(contacts: Iterable<Contact> | AsyncIterable<Contact>, name = 'export.zip') {
    const sink = new FileSink(temp.join(name));
    const start = performance.now();
    const report = await new VcardOutlookExport().export(contacts, sink);
    await sink.close();
    const seconds = (performance.now() - start) / 1000;
    return { report, seconds, path: sink.path, entries: checkedZipEntries(sink.path) };
  }

  it('hands each card of the single-file export to the sink before the next contact is read', async () => {
    const sink = new MemorySink();
    const seen: number[] = [];
    async function* source(): AsyncIterable<Contact> {
      for (let i = 1; i <= 3; i++) {
        seen.push(sink.chunks.length);
        yield contact({ surname: `Person ${i}` });
      }
    }
    const report = await new VcardSingleExport().export(source(), sink);
    expect(seen).to.deep.equal([0, 1, 2]);
    expect(report.written).to.equal(3);
    expect(report.file).to.deep.equal({ fileName: 'kontakte.vcf', mediaType: 'text/vcard; charset=utf-8' });
  });

  it('streams the Outlook ZIP entry by entry, and the ZIP passes unzip -t and Python', async () => {
    const chunksBefore: number[] = [];
    const sink = new FileSink(temp.join('stream.zip'));
    let written = 0;
    const counting: ExportSink = {
      start: (file: ExportFile) => sink.start(file),
      write: async (chunk) => {
        written++;
        await sink.write(chunk);
      },
    };
    async function* source(): AsyncIterable<Contact> {
      for (const person of people(3, (i) => ({ givenName: 'Eva', surname: `Wolf${i}` }))) {
        chunksBefore.push(written);
        yield person;
      }
    }
    await new VcardOutlookExport().export(source(), counting);
    await sink.close();
    expect(chunksBefore).to.deep.equal([0, 1, 2]);
    expect(checkedZipEntries(sink.path)).to.deep.equal([
      'Wolf1, Eva.vcf',
      'Wolf2, Eva.vcf',
      'Wolf3, Eva.vcf',
    ]);
  });

  it('writes more than 65,535 contacts as a ZIP64 that unzip and Python read in full', async function () {
    this.timeout(120_000);
    const count = 65_600;
    const { report, path, entries } = await zipOf(
      people(count, (i) => ({ surname: `S${i}` })),
      'many.zip',
    );
    expect(report.written).to.equal(count);
    expect(entries).to.have.length(count);
    expect(entries.at(-1)).to.equal(`S${count}.vcf`);
    expect(isZip64(readFileSync(path))).to.equal(true);
  });

  it('keeps the memory of a ZIP export bounded, however many photos pass through it', async function () {
    this.timeout(120_000);
    const photo = new Uint8Array(24 * 1024).fill(0x55);
    photo.set([0xff, 0xd8, 0xff, 0xe0]);
    const count = 10_000;
    global.gc?.();
    const base = process.memoryUsage();
    let peak = 0;
    let bytes = 0;
    const sink: ExportSink = {
      start: () => undefined,
      write: async (chunk) => {
        bytes += chunk.length;
        const now = process.memoryUsage();
        peak = Math.max(peak, now.heapUsed + now.arrayBuffers - base.heapUsed - base.arrayBuffers);
      },
    };
    const report = await new VcardOutlookExport().export(
      people(count, (i) => ({ surname: `Foto${i}`, photo: { mediaType: 'image/jpeg', bytes: photo } })),
      sink,
    );
    expect(report.written).to.equal(count);
    expect(bytes).to.be.greaterThan(300 * 1024 * 1024);
    // Kept output would grow with the 300 MB written; garbage waiting for the collector stays
    // below some 165 MiB even on a busy machine, whose collector threads wait for a core.
    expect(peak, `grew by ${Math.round(peak / 1024 / 1024)} MiB`).to.be.lessThan(200 * 1024 * 1024);
  });

  it('gives 20,000 contacts of the same name distinct names quickly, in the ZIP and in a folder', async function () {
    this.timeout(60_000);
    const count = 20_000;
    const same = () => people(count, () => ({ givenName: 'Anna', surname: 'Müller' }));

    const { entries, seconds: zipSeconds } = await zipOf(same());
    expect(new Set(entries.map((n) => n.toLowerCase())).size).to.equal(count);
    expect(entries.slice(0, 3)).to.deep.equal([
      'Müller, Anna.vcf',
      'Müller, Anna (2).vcf',
      'Müller, Anna (3).vcf',
    ]);
    expect(zipSeconds, 'seconds for the ZIP').to.be.lessThan(10);

    const folder = temp.join('outlook');
    await new VcardOutlookExport({ targetFolder: folder }).export(
      people(3, () => ({ givenName: 'Anna', surname: 'Müller' })),
      new MemorySink(),
    );
    const start = performance.now();
    const report = await new VcardOutlookExport({ targetFolder: folder }).export(same(), new MemorySink());
    const folderSeconds = (performance.now() - start) / 1000;
    expect(report.written).to.equal(count);
    const names = readdirSync(folder);
    expect(names).to.have.length(count + 3);
    expect(names).to.include(`Müller, Anna (${count + 3}).vcf`);
    // Generous for a slow disk (20,000 file creates); the old search took minutes.
    expect(folderSeconds, 'seconds for the folder').to.be.lessThan(30);
  });
});
