import { createHash } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { type RunningHost, startHost } from '../../host/boot.js';
import { type ConfigFolder, configFolder, exportPluginsDir } from './support/config-folder.js';
import { send } from './support/send.js';

const card = (surname: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nN:${surname};Anna;;;\r\nEND:VCARD\r\n`;
const broken =
  'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kaputt;;;;\r\nPHOTO;ENCODING=b;TYPE=JPEG:@@@\r\nEND:VCARD\r\n';

describe('Files through the host, streamed', () => {
  let folder: ConfigFolder;
  let host: RunningHost;
  before(async () => {
    folder = configFolder().host({
      host: { port: 0, limits: { previewContacts: 2, previewProblems: 1, exportContacts: 3 } },
      pluginDirectories: [exportPluginsDir],
      embedded: { referenceCrm: { enabled: false } },
    });
    host = await startHost({ configDir: folder.dir, logger: false });
  });
  after(async () => {
    await host.close();
    folder.remove();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    send(`${host.url}/api/v1${path}`, { body, headers });
  const exportOf = (option: string, contacts: unknown, query = '') =>
    post(`/exports/${option}${query}`, JSON.stringify({ contacts }), { 'content-type': 'application/json' });

  it('reads a vCard sent as text/plain, text/vcard, application/octet-stream or without a content type', async () => {
    for (const type of ['text/plain', 'text/vcard', 'application/octet-stream', undefined]) {
      const answer = await post(
        '/imports/preview?fileName=a.vcf',
        card('Weiß'),
        type ? { 'content-type': type } : {},
      );
      expect(answer.status, String(type)).to.equal(200);
      expect(answer.json().contacts.map((c: { surname: string }) => c.surname)).to.deep.equal(['Weiß']);
    }
  });

  it('lists at most the documented number of contacts and problems, with the total of each', async () => {
    const file = [card('Eins'), broken, card('Zwei'), broken, card('Drei')].join('');
    const answer = await post('/imports/preview?fileName=viele.vcf', file, { 'content-type': 'text/vcard' });
    expect(answer.status).to.equal(200);
    const body = answer.json();
    expect(body.contacts.map((c: { surname: string }) => c.surname)).to.deep.equal(['Eins', 'Zwei']);
    expect(body).to.include({ contactCount: 3, problemCount: 2, complete: true, importer: 'vcard-file' });
    expect(body.problems).to.have.length(1);
    expect(body.problems[0].location).to.include({ file: 'viele.vcf', card: 2 });
  });

  it('answers a repeated fileName parameter with 400 naming it, not 500', async () => {
    const answer = await post('/imports/preview?fileName=a.vcf&fileName=b.vcf', card('A'));
    expect(answer.status).to.equal(400);
    expect(answer.json()).to.deep.include({
      code: 'CRMSYNC_ERR_REQUEST_INVALID',
      location: { field: '?fileName' },
    });
  });

  it('lists a photo in a preview by media type and hash, without sending its bytes back', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(3000, 1)]);
    const withPhoto = card('Foto').replace(
      'END:VCARD',
      `PHOTO;ENCODING=b;TYPE=PNG:${png.toString('base64')}\r\nEND:VCARD`,
    );
    const answer = await post('/imports/preview?fileName=foto.vcf', withPhoto, {
      'content-type': 'text/vcard',
    });
    expect(answer.status).to.equal(200);
    const [contact] = answer.json().contacts;
    expect(contact.photo).to.deep.equal({
      mediaType: 'image/png',
      hash: createHash('sha256').update(png).digest('hex'),
    });
    expect(answer.text.length).to.be.below(png.length);
  });

  it('refuses an upload announced larger than the limit before reading it', async () => {
    const answer = await send(`${host.url}/api/v1/imports/preview?fileName=a.vcf`, {
      headers: { 'content-length': String(300 * 1024 * 1024) },
      method: 'POST',
    }).catch((error: Error) => error);
    if (answer instanceof Error) expect.fail(`the host dropped the request: ${answer.message}`);
    expect(answer.status).to.equal(413);
    expect(answer.json()).to.include({ code: 'CRMSYNC_ERR_TOO_LARGE' });
  });

  it('streams an export file with the written and problem counts in trailers', async () => {
    const answer = await exportOf('name-lines', [
      { surname: 'Weiß' },
      { givenName: 'Ohne' },
      { surname: 'Öztürk' },
    ]);
    expect(answer.status).to.equal(200);
    expect(answer.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(answer.headers.trailer).to.equal('x-crmsync-written, x-crmsync-problems');
    expect(answer.headers['content-disposition']).to.equal("attachment; filename*=UTF-8''namen.txt");
    expect(answer.text).to.equal('Weiß\nÖztürk\n');
    expect(answer.trailers).to.deep.include({ 'x-crmsync-written': '2', 'x-crmsync-problems': '1' });
  });

  it('answers the export report as JSON on ?report=json and for options that write to a place of their own', async () => {
    const report = await exportOf('name-lines', [{ surname: 'A' }, {}], '?report=json');
    expect(report.status).to.equal(200);
    expect(report.json()).to.deep.include({ written: 1, problemCount: 1 });
    expect(report.json().problems[0]).to.include({ message: 'no surname' });
    const own = await exportOf('name-count', [{ surname: 'A' }, { surname: 'B' }]);
    expect(own.json()).to.deep.equal({ written: 2, problemCount: 0, problems: [] });
  });

  it('names the JSON pointer of a value of the wrong type in an export, and writes nothing', async () => {
    for (const [contact, pointer] of [
      [{ displayName: 123 }, '/contacts/1/displayName'],
      [{ photo: { mediaType: 'image/png', base64: 123 } }, '/contacts/1/photo/base64'],
      [{ emails: [{ address: 'a@b.de', type: 'büro' }] }, '/contacts/1/emails/0/type'],
      ['Anna', '/contacts/1'],
    ] as const) {
      const answer = await exportOf('name-lines', [{ surname: 'Gut' }, contact]);
      expect(answer.status, JSON.stringify(contact)).to.equal(400);
      expect(answer.json()).to.deep.include({ code: 'CRMSYNC_ERR_CONTACT_INVALID', location: { pointer } });
    }
  });

  it('refuses more contacts than the export limit with 413 before writing anything', async () => {
    const answer = await exportOf('name-lines', [{}, {}, {}, {}]);
    expect(answer.status).to.equal(413);
    expect(answer.json()).to.deep.include({
      code: 'CRMSYNC_ERR_TOO_LARGE',
      location: { pointer: '/contacts/3' },
    });
    expect(answer.json().message).to.contain('host.limits.exportContacts');
  });

  it('answers broken JSON and a body of the wrong shape with 400 and where', async () => {
    const broken = await post('/exports/name-lines', '{"contacts":[{"surname":"A"},{', {
      'content-type': 'application/json',
    });
    expect(broken.status).to.equal(400);
    expect(broken.json().location).to.deep.equal({ pointer: '/contacts/1' });
    const notArray = await post('/exports/name-lines', '{"contacts":{}}', {
      'content-type': 'application/json',
    });
    expect(notArray.json()).to.deep.include({
      code: 'CRMSYNC_ERR_EXPORT_INVALID',
      location: { pointer: '/contacts' },
    });
    const text = await post('/exports/name-lines', '{"contacts":[]}', { 'content-type': 'text/plain' });
    expect(text.status).to.equal(415);
  });

  it('answers an unknown export option with 404', async () => {
    expect((await exportOf('no-such-option', [])).status).to.equal(404);
  });
});

describe('The CRM through the host', () => {
  let folder: ConfigFolder;
  afterEach(() => folder.remove());

  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  it('answers 502 with the code of an unreachable CRM, and never shows the credentials in its URL', async () => {
    const port = await closedPort();
    let logs = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logs += chunk.toString();
        done();
      },
    });
    folder = configFolder()
      .host({ host: { port: 0 }, embedded: { referenceCrm: { enabled: false } } })
      .crmProfile((profile) => {
        profile.baseUrl = `http://crm-user:geheim-4711@127.0.0.1:${port}/api/v1`;
        profile.retry = { ...profile.retry, maxAttempts: 1 };
      });
    const host = await startHost({ configDir: folder.dir, logger: { level: 'debug', stream } });
    try {
      const answer = await send(`${host.url}/api/v1/crm/contacts?name=M%C3%BCller`);
      expect(answer.status, answer.text).to.equal(502);
      expect(answer.json()).to.include({ code: 'CRMSYNC_ERR_CRM_UNREACHABLE' });
      const connectors = await send(`${host.url}/api/v1/connectors`);
      expect(connectors.json().crm.health.ok).to.equal(false);
      expect(connectors.text + answer.text).not.to.contain('geheim-4711');
    } finally {
      await host.close();
    }
    expect(logs).not.to.contain('geheim-4711');
  });

  it('finds the embedded reference CRM on another port through the one setting', async () => {
    folder = configFolder()
      .host({ host: { port: 0 }, embedded: { referenceCrm: { enabled: true, port: 0 } } })
      .crmProfile((profile) => {
        profile.baseUrl = '${env:CRMSYNC_REFERENCE_CRM_URL:-http://127.0.0.1:4010}/api/v1';
      });
    const host = await startHost({ configDir: folder.dir, logger: false });
    try {
      expect(host.referenceCrm?.origin).not.to.match(/:4010$/);
      const connectors = (await send(`${host.url}/api/v1/connectors`)).json();
      expect(connectors.crm.health.ok, JSON.stringify(connectors)).to.equal(true);
      const found = await send(`${host.url}/api/v1/crm/contacts?city=Berlin`);
      expect(found.status).to.equal(200);
      expect(found.json()).to.include({ complete: true });
      expect(found.json().contactCount).to.be.greaterThan(0);
    } finally {
      await host.close();
    }
  });
});
