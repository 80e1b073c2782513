import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { type RunningHost, startHost } from '../../host/boot.js';
import { formWithFile } from '../hostile/support/inputs.js';
import { type ConfigFolder, configFolder } from './support/config-folder.js';
import { send } from './support/send.js';

const card = (surname: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nN:${surname};Anna;;;\r\nEND:VCARD\r\n`;
const brokenCard =
  'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kaputt;Karl;;;\r\nPHOTO;ENCODING=b;TYPE=JPEG:@@@\r\nEND:VCARD\r\n';
const uploadBytes = 4096;

/** A form as a browser's FormData sends it, serialised by the platform's own encoder. */
async function browserForm(
  fields: [string, string | { name: string; text: string }][],
): Promise<{ body: Uint8Array; type: string }> {
  const form = new FormData();
  for (const [name, value] of fields)
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([value.text], { type: 'text/vcard' }), value.name);
  const request = new Request('http://form.invalid/', { method: 'POST', body: form });
  return { body: new Uint8Array(await request.arrayBuffer()), type: request.headers.get('content-type')! };
}

/** A form of one file part, as `formWithFile` streams it, collected. */
async function streamedForm(fileName: string, text: string): Promise<{ body: Uint8Array; type: string }> {
  const form = formWithFile(fileName, Readable.from([Buffer.from(text)]));
  return { body: Buffer.concat(await form.body.toArray()), type: form.contentType };
}

describe('Contact files uploaded as a form (multipart/form-data)', function () {
  this.timeout(60_000);
  let folder: ConfigFolder;
  let host: RunningHost;

  before(async () => {
    folder = configFolder().host({
      host: { port: 0, limits: { uploadBytes } },
      embedded: { referenceCrm: { enabled: false } },
    });
    host = await startHost({ configDir: folder.dir, logger: false });
  });
  after(async () => {
    await host?.close();
    folder?.remove();
  });

  const post = async (path: string, form: { body: Uint8Array; type: string }, headers = {}) =>
    send(`${host.url}/api/v1${path}`, {
      headers: { 'content-type': form.type, ...headers },
      body: form.body,
    });

  it('previews the file of a form, naming it and each broken card by the file name the form gives', async () => {
    const form = await browserForm([
      ['comment', 'von der Messe'],
      ['file', { name: 'messe.vcf', text: card('Weiß') + brokenCard + card('Öztürk') }],
    ]);
    const answer = await post('/imports/preview', form);
    expect(answer.status, answer.text).to.equal(200);
    const preview = answer.json();
    expect(preview).to.include({ fileName: 'messe.vcf', contactCount: 2, problemCount: 1, complete: true });
    expect(preview.problems[0].location).to.include({ file: 'messe.vcf', card: 2 });
  });

  it('refuses a form without a file part, and a file part without a name unless ?fileName= gives one', async () => {
    const fieldsOnly = await post('/imports/preview', await browserForm([['comment', 'nichts']]));
    expect(fieldsOnly.status).to.equal(400);
    expect(fieldsOnly.json()).to.deep.equal({
      code: 'CRMSYNC_ERR_UPLOAD_INVALID',
      message: 'the form holds no file part (field body)',
      location: { field: 'body' },
    });
    // A file part whose file name is empty, as a client may send it.
    const unnamed = await streamedForm('', card('Lang'));
    const refused = await post('/imports/preview', unnamed);
    expect(refused.status).to.equal(400);
    expect(refused.json().location).to.deep.equal({ field: '?fileName' });
    const named = await post('/imports/preview?fileName=benannt.vcf', unnamed);
    expect(named.json()).to.include({ fileName: 'benannt.vcf', contactCount: 1 });
  });

  it('reads one file per form: a second file part ends the answer with the reason, naming its field', async () => {
    const form = await browserForm([
      ['file', { name: 'eins.vcf', text: card('Eins') }],
      ['zweite', { name: 'zwei.vcf', text: card('Zwei') }],
    ]);
    const answer = (await post('/imports/preview', form)).json();
    expect(answer).to.include({ complete: false, contactCount: 1 });
    expect(answer.error).to.deep.include({
      code: 'CRMSYNC_ERR_UPLOAD_INVALID',
      location: { field: 'zweite' },
    });
  });

  it('refuses a form whose file is past host.limits.uploadBytes with 413, announced or not, keeping nothing', async () => {
    const big = card('Groß').repeat(Math.ceil((2 * uploadBytes) / card('Groß').length));
    // Announced: the form's length is past the limit and the form's own few bytes.
    const announced = await browserForm([['file', { name: 'gross.vcf', text: big.repeat(20) }]]);
    const early = await post('/import-plans/upload', announced);
    expect(early.status).to.equal(413);
    expect(early.json()).to.deep.include({ code: 'CRMSYNC_ERR_TOO_LARGE', location: { field: 'body' } });
    // Sent in chunks without a length: the limit holds as the file part arrives.
    const chunked = await streamedForm('gross.vcf', big);
    const late = await send(`${host.url}/api/v1/import-plans/upload`, {
      headers: { 'content-type': chunked.type, 'transfer-encoding': 'chunked' },
      body: chunked.body,
    });
    expect(late.status, late.text).to.equal(413);
    expect(late.json()).to.deep.include({ code: 'CRMSYNC_ERR_TOO_LARGE', location: { field: 'body' } });
    const spool = join(folder.dir, 'data', 'tmp');
    expect(existsSync(spool) ? readdirSync(spool) : []).to.deep.equal([]);
  });

  it('refuses a form sent by a page of another site, and a form to a route that reads none', async () => {
    const form = await browserForm([['file', { name: 'a.vcf', text: card('Anders') }]]);
    const crossSite = await post('/imports/preview', form, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).to.equal(403);
    expect(crossSite.json()).to.include({ code: 'CRMSYNC_ERR_FOREIGN_ORIGIN' });
    const foreignPage = await post('/imports/preview', form, { origin: 'https://evil.example' });
    expect(foreignPage.status).to.equal(403);
    const elsewhere = await post('/exports/vcard-single', form);
    expect(elsewhere.status).to.equal(415);
    const sameSite = await post('/imports/preview', form, { 'sec-fetch-site': 'same-origin' });
    expect(sameSite.status).to.equal(200);
  });
});
