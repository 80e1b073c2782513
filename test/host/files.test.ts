import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { strFromU8, unzipSync } from 'fflate';
import type { ContactJson, RecordProblem } from '../../core/index.js';
import { type RunningHost, startHost } from '../../host/boot.js';
import { fixture } from '../support/paths.js';

const apiKey = 'files-test-key';
const upload = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Weiß;Anna;;Dr.;',
  'FN:Dr. Anna Weiß',
  'EMAIL;TYPE=WORK:anna.weiss@bau-ag.de',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Kaputt;Karl;;;',
  'PHOTO;ENCODING=b;TYPE=JPEG:@@@not-base64@@@',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Öztürk;Ümit;;;',
  'TEL;TYPE=CELL:0171 2345678',
  'END:VCARD',
  '',
].join('\r\n');

describe('Offline exchange through the host', () => {
  let host: RunningHost;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crmsync-files-'));
    host = await startHost({
      configDir: fixture('host-config'),
      env: { CRMSYNC_TEST_API_KEY: apiKey, CRMSYNC_TEST_DATA_DIR: dataDir },
      logger: false,
    });
  });
  after(async () => {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (path: string, body: string | Uint8Array, contentType: string) =>
    fetch(`${host.url}${path}`, {
      method: 'POST',
      body,
      headers: { 'x-api-key': apiKey, 'content-type': contentType },
    });

  it('reads an uploaded vCard file, listing every good card and locating the broken one', async () => {
    const response = await post('/api/v1/imports/preview?fileName=messe-kontakte.vcf', upload, 'text/vcard');
    expect(response.status).to.equal(200);
    const body = (await response.json()) as {
      importer: string;
      contacts: ContactJson[];
      problems: RecordProblem[];
    };
    expect(body.importer).to.equal('vcard-file');
    expect(body.contacts.map((c) => c.surname)).to.deep.equal(['Weiß', 'Öztürk']);
    expect(body.contacts[0]!.title).to.equal('Dr.');
    expect(body.contacts[1]!.phones[0]).to.include({ type: 'mobile', e164: '+491712345678' });
    expect(body.problems).to.have.length(1);
    expect(body.problems[0]!.location).to.include({ file: 'messe-kontakte.vcf', card: 2 });
    expect(body.problems[0]!.location.line).to.be.within(7, 10);
  });

  it('refuses a file no importer reads, and an empty upload, saying why', async () => {
    const wrong = await post(
      '/api/v1/imports/preview?fileName=kontakte.xlsx',
      'x',
      'application/octet-stream',
    );
    expect(wrong.status).to.equal(400);
    expect(((await wrong.json()) as { message: string }).message).to.contain('no importer reads ".xlsx"');
    const empty = await post('/api/v1/imports/preview?fileName=leer.vcf', '', 'text/vcard');
    expect(empty.status).to.equal(400);
  });

  it('exports contacts for Outlook as a ZIP with one vCard per contact, photos included', async () => {
    const preview = (await (
      await post('/api/v1/imports/preview?fileName=a.vcf', upload, 'text/vcard')
    ).json()) as {
      contacts: ContactJson[];
    };
    const contacts = preview.contacts.map((c, i) => ({
      ...c,
      ids: { crmId: `AP-00000${i + 1}` },
      photo:
        i === 0
          ? { mediaType: 'image/png', base64: Buffer.from('fake png bytes').toString('base64') }
          : undefined,
    }));
    const response = await post(
      '/api/v1/exports/vcard-outlook',
      JSON.stringify({ contacts }),
      'application/json',
    );
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('application/zip');
    expect(response.headers.get('content-disposition')).to.match(/^attachment; filename\*=UTF-8''.+\.zip$/);
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const texts = Object.values(files).map((bytes) => strFromU8(bytes));
    expect(texts).to.have.length(2);
    for (const text of texts) expect(text.match(/BEGIN:VCARD/g)).to.have.length(1);
    const anna = texts.find((t) => t.includes('Weiß'))!;
    expect(anna).to.contain('X-CRMSYNC-ID:AP-000001');
    expect(anna.replace(/\r\n /g, '')).to.contain(Buffer.from('fake png bytes').toString('base64'));
  });

  it('answers an export with a malformed body with the JSON pointer of the problem', async () => {
    const response = await post(
      '/api/v1/exports/vcard-single',
      JSON.stringify({ people: [] }),
      'application/json',
    );
    expect(response.status).to.equal(400);
    expect(await response.json()).to.deep.include({
      code: 'CRMSYNC_ERR_EXPORT_INVALID',
      location: { pointer: '/people' },
    });
  });

  it('lists every contribution so a client can offer the export options and importers', async () => {
    const list = (await (
      await fetch(`${host.url}/api/v1/contributions`, { headers: { 'x-api-key': apiKey } })
    ).json()) as {
      point: string;
      id: string;
    }[];
    expect(list.filter((c) => c.point === 'exportOptions').map((c) => c.id)).to.include.members([
      'vcard-outlook',
      'vcard-single',
    ]);
    expect(list.find((c) => c.point === 'fileImporters')).to.include({
      id: 'vcard-file',
      pluginId: 'vcard-file',
    });
  });
});
