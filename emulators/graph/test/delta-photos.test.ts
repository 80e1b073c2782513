import { expect } from 'chai';
import {
  anna,
  ben,
  contacts,
  docPayload,
  type GraphSession,
  graphSession,
  type Json,
} from './support/graph-session.js';

describe('The Graph emulator’s contacts delta and photos', () => {
  let session: GraphSession;
  let folder: string;
  const send: GraphSession['send'] = (...request) => session.send(...request);
  const folderContacts = () => `/users/${anna}/contactFolders/${encodeURIComponent(folder)}/contacts`;
  const create = async (surname: string, url = folderContacts()) =>
    (await send('POST', url, { surname })).body;

  /** Every page of one delta round from `url`: the items, the pages and the link to keep. */
  async function round(url: string, pageSize?: number) {
    const items: Json[] = [];
    const pages: Json[] = [];
    let next: string | undefined = url;
    for (;;) {
      const answer = await send(
        'GET',
        next,
        undefined,
        pageSize ? { Prefer: `odata.maxpagesize=${pageSize}` } : {},
      );
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      pages.push(answer.body);
      items.push(...answer.body.value);
      next = answer.body['@odata.nextLink'];
      if (!next) return { items, pages, deltaLink: answer.body['@odata.deltaLink'] as string };
    }
  }

  before(async () => {
    session = await graphSession();
    folder = (await send('POST', `/users/${anna}/contactFolders`, { displayName: 'Delta' })).body.id;
  });
  after(async () => session?.close());

  it('returns every contact of the folder in the first round, in pages that carry exactly one of nextLink or deltaLink', async () => {
    for (let i = 0; i < 5; i++) await create(`Erst${i}`);
    await create('AndererOrdner', contacts());
    const { items, pages, deltaLink } = await round(`${folderContacts()}/delta?$select=surname`, 2);
    expect(items.map((item) => item.surname).sort()).to.deep.equal([
      'Erst0',
      'Erst1',
      'Erst2',
      'Erst3',
      'Erst4',
    ]);
    expect(pages).to.have.length(3);
    for (const page of pages)
      expect(['@odata.nextLink' in page, '@odata.deltaLink' in page].filter(Boolean)).to.have.length(1);
    expect(pages[0]['@odata.nextLink']).to.match(
      /^https:\/\/.+\/v1\.0\/users\/.+\/contacts\/delta\?\$skiptoken=/,
    );
    expect(deltaLink).to.match(/\/contacts\/delta\?\$deltatoken=/);
    const documented = docPayload('contact-delta.first-page-nextlink.response.json');
    expect(pages[0]).to.include.keys(Object.keys(documented));
  });

  it('reports changed contacts in full and deleted ones as @removed in the next round, then nothing', async () => {
    const kept = await create('Bleibt');
    const gone = await create('Geht');
    const { deltaLink } = await round(`${folderContacts()}/delta`);
    await send('PATCH', `${contacts()}/${encodeURIComponent(kept.id)}`, { jobTitle: 'Neu' });
    await send('DELETE', `${contacts()}/${encodeURIComponent(gone.id)}`);
    const second = await round(deltaLink);
    expect(second.items.find((item) => item.id === kept.id)?.jobTitle).to.equal('Neu');
    const removed = second.items.find((item) => item.id === gone.id);
    const documented = docPayload('delta-messages.round2-deltalink-with-removed.response.json').value[0];
    expect(removed['@removed']).to.deep.equal(documented['@removed']);
    expect(Object.keys(removed)).to.have.members(Object.keys(documented));
    expect((await round(second.deltaLink)).items).to.deep.equal([]);
  });

  it('reports a deletion in the next round also when the first round began on an empty mailbox', async () => {
    // Ben's mailbox has had no contact yet, so its first round ends where it began.
    const empty = (await send('POST', `/users/${ben}/contactFolders`, { displayName: 'Leer' })).body.id;
    const emptyContacts = `/users/${ben}/contactFolders/${encodeURIComponent(empty)}/contacts`;
    const first = await round(`${emptyContacts}/delta`);
    expect(first.items).to.deep.equal([]);
    const gone = await create('Kurzlebig', emptyContacts);
    await send('DELETE', `/users/${ben}/contacts/${encodeURIComponent(gone.id)}`);
    const second = await round(first.deltaLink);
    expect(second.items.map((item) => [item.id, item['@removed']?.reason])).to.deep.equal([
      [gone.id, 'deleted'],
    ]);
  });

  it('answers an unknown or evicted delta token with 410 SyncStateNotFound and a fresh start in Location', async () => {
    const { deltaLink } = await round(`${folderContacts()}/delta`);
    const forged = await send('GET', `${folderContacts()}/delta?$deltatoken=forged`);
    expect(forged.status).to.equal(410);
    expect(forged.body.error.code).to.equal('SyncStateNotFound');
    session.server.deltaTokens.expireAll();
    const expired = await send('GET', deltaLink);
    expect(expired.status).to.equal(410);
    expect(expired.headers.get('location')).to.match(/\/contacts\/delta$/);
  });

  it('keeps delta per folder and per mailbox: a token of one folder is not accepted for another', async () => {
    const { deltaLink } = await round(`${folderContacts()}/delta`);
    const token = new URL(deltaLink).searchParams.get('$deltatoken');
    expect((await send('GET', `/users/${ben}/contacts/delta?$deltatoken=${token}`)).status).to.equal(410);
  });

  it('stores a photo, answers it byte for byte with its media type, and changes the contact’s change key', async () => {
    const contact = await create('Foto');
    const photoUrl = `${contacts()}/${encodeURIComponent(contact.id)}/photo/$value`;
    const missing = await send('GET', photoUrl);
    expect(missing.status).to.equal(404);
    expect(missing.body.error.code).to.equal('ErrorItemNotFound');
    const bytes = Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000030806000000', 'hex');
    const put = await send('PUT', photoUrl, bytes, {
      'Content-Type': 'image/png',
      'If-Match': contact['@odata.etag'],
    });
    expect(put.status).to.equal(200);
    const read = await send('GET', photoUrl);
    expect(read.headers.get('content-type')).to.match(/^image\/png/);
    expect(Buffer.from(read.body as Uint8Array).equals(bytes)).to.equal(true);
    const metadata = await send('GET', `${contacts()}/${encodeURIComponent(contact.id)}/photo`);
    expect(metadata.body).to.include.keys(Object.keys(docPayload('photo-metadata.response.json')));
    expect(metadata.body).to.include({ width: 2, height: 3 });
    const after = await send('GET', `${contacts()}/${encodeURIComponent(contact.id)}`);
    expect(after.body.changeKey).to.not.equal(contact.changeKey);
    const stale = await send('PUT', photoUrl, bytes, {
      'Content-Type': 'image/png',
      'If-Match': contact['@odata.etag'],
    });
    expect(stale.status).to.equal(412);
  });

  it('refuses a photo over the 4 MB request limit with 413', async () => {
    const contact = await create('ZuGross');
    const answer = await send(
      'PUT',
      `${contacts()}/${encodeURIComponent(contact.id)}/photo/$value`,
      Buffer.alloc(4 * 1024 * 1024 + 1),
      {
        'Content-Type': 'image/jpeg',
      },
    );
    expect(answer.status).to.equal(413);
    expect(answer.body.error.code).to.equal('RequestEntityTooLarge');
  });

  it('marks a contact with a photo through Outlook’s PidLidHasPicture, expandable like any extended property, and clears it when the photo goes', async () => {
    const contact = await create('MitMarke');
    const item = `${contacts()}/${encodeURIComponent(contact.id)}`;
    const hasPicture = 'Boolean {00062004-0000-0000-C000-000000000046} Id 0x8015';
    const mark = async () => {
      const read = await send(
        'GET',
        `${item}?$select=id&$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${hasPicture}')`)}`,
      );
      return (read.body.singleValueExtendedProperties as { value: string }[]).map((p) => p.value);
    };
    expect(await mark(), 'no mark on a contact that never had a photo').to.deep.equal([]);
    const put = await send('PUT', `${item}/photo/$value`, Buffer.from('ffd8ffe0', 'hex'), {
      'Content-Type': 'image/jpeg',
    });
    expect(put.status).to.equal(200);
    expect(await mark()).to.deep.equal(['true']);
    expect((await send('DELETE', `${item}/photo/$value`)).status).to.equal(204);
    expect(await mark()).to.deep.equal(['false']);
  });
});
