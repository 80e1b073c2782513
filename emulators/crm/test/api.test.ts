import { expect } from 'chai';
import { type CrmServer, startCrmServer } from '../index.js';
import type { ContactDoc } from '../store/documents.js';

describe('reference CRM REST API', () => {
  let crm: CrmServer;
  const call = async (
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; key?: string | null } = {},
  ) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== null) headers['x-api-key'] = options.key ?? crm.apiKey;
    let body: string | Buffer | undefined;
    if (Buffer.isBuffer(options.body)) body = options.body;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${crm.url}${path}`, { method, headers, body });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: the tests read many differently shaped JSON answers
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json, headers: response.headers, text };
  };
  const newContact = (extra: Record<string, unknown> = {}) => ({
    partnerId: 'GP-0001',
    salutationCode: 'H',
    title: 'Prof. Dr.',
    firstName: 'Karl-Heinz',
    lastName: 'Strauß',
    emails: [{ address: 'karl-heinz.strauss@example.de', kind: 'work', primary: true }],
    phones: { business: '0911 123456-7', mobile: '+49 160 1234567' },
    address: { street: 'Königstraße 1', postalCode: '90402', city: 'Nürnberg', country: 'DE' },
    groupwareSync: true,
    ...extra,
  });

  before(async () => {
    crm = await startCrmServer({
      port: 0,
      apiKey: 'test-key',
      readOnlyApiKey: 'read-only-key',
      seed: { partners: 5, contacts: 150 },
    });
  });
  after(async () => crm.close());

  it('serves its OpenAPI document without a key', async () => {
    const { status, json } = await call('GET', '/openapi.json', { key: null });
    expect(status).to.equal(200);
    expect(json.openapi).to.match(/^3\./);
    expect(Object.keys(json.paths)).to.include.members([
      '/contacts',
      '/contacts/{id}',
      '/contacts/changes',
      '/contacts/lookup',
      '/contacts/{id}/photo',
      '/partners',
    ]);
    expect(json.components.securitySchemes.apiKey).to.deep.equal({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
    });
  });

  it('answers 401 without a key, 403 with a wrong one, and 403 to a write with a read-only key', async () => {
    expect((await call('GET', '/contacts', { key: null })).status).to.equal(401);
    expect((await call('GET', '/contacts', { key: 'wrong' })).status).to.equal(403);
    expect((await call('GET', '/contacts', { key: 'read-only-key' })).status).to.equal(200);
    expect(
      (await call('POST', '/contacts/lookup', { key: 'read-only-key', body: { emails: ['a@b.de'] } })).status,
    ).to.equal(200);
    const write = await call('POST', '/contacts', { key: 'read-only-key', body: newContact() });
    expect(write.status).to.equal(403);
    expect(write.json.message).to.contain('only read');
  });

  it('answers 400 naming the field that is wrong', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [newContact({ lastName: undefined }), 'lastName'],
      [newContact({ emails: [{ address: 'kein-at-zeichen' }] }), 'emails[0].address'],
      [newContact({ phones: { mobile: 'bitte anrufen' } }), 'phones.mobile'],
      [newContact({ nickname: 'Kalle' }), 'nickname'],
      [newContact({ partnerId: 'GP-9999' }), 'partnerId'],
      [newContact({ birthday: '1970-02-31x' }), 'birthday'],
      [newContact({ salutationCode: 'Herr' }), 'salutationCode'],
    ];
    for (const [body, field] of cases) {
      const { status, json } = await call('POST', '/contacts', { body });
      expect(status, field).to.equal(400);
      expect(json).to.include({ error: 'validation_failed', field });
    }
    expect((await call('GET', '/contacts?cursor=nonsense')).json.field).to.equal('cursor');
    expect((await call('GET', '/contacts?phone=abc')).json.field).to.equal('phone');
  });

  it('creates a contact with version 1 and an ETag, and refuses a stale If-Match with 412', async () => {
    const created = await call('POST', '/contacts', { body: newContact() });
    expect(created.status).to.equal(201);
    const doc = created.json as ContactDoc;
    expect(doc.version).to.equal(1);
    expect(created.headers.get('etag')).to.equal('"1"');
    expect(doc.partnerName).to.be.a('string');
    const updated = await call('PUT', `/contacts/${doc.id}`, {
      body: { ...newContact(), jobTitle: 'Inhaber' },
      headers: { 'if-match': '"1"' },
    });
    expect(updated.status).to.equal(200);
    expect(updated.json.version).to.equal(2);
    const stale = await call('PUT', `/contacts/${doc.id}`, {
      body: newContact(),
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).to.equal(412);
    expect(stale.json.currentVersion).to.equal(2);
    expect(
      (await call('PUT', `/contacts/${doc.id}`, { body: { ...newContact(), version: 1 } })).status,
    ).to.equal(412);
    expect((await call('PUT', `/contacts/${doc.id}`, { body: newContact() })).status).to.equal(428);
    expect(
      (await call('PUT', `/contacts/${doc.id}`, { body: { ...newContact(), version: 2 } })).json.version,
    ).to.equal(3);
    expect((await call('DELETE', `/contacts/${doc.id}`, { headers: { 'if-match': '"2"' } })).status).to.equal(
      412,
    );
  });

  it('pages through every contact with opaque cursors and a Link header', async () => {
    const seen: string[] = [];
    let path = '/contacts?limit=40';
    for (;;) {
      const page = await call('GET', path);
      seen.push(...page.json.items.map((item: ContactDoc) => item.id));
      if (!page.json.nextCursor) {
        expect(page.headers.get('link')).to.equal(null);
        break;
      }
      expect(page.headers.get('link')).to.contain('rel="next"');
      path = `/contacts?limit=40&cursor=${page.json.nextCursor}`;
    }
    expect(seen.length).to.equal(crm.store.countContacts());
    expect(new Set(seen).size).to.equal(seen.length);
  });

  it('searches names by prefix or contained text, case- and umlaut-insensitive', async () => {
    await call('POST', '/contacts', {
      body: newContact({ firstName: 'Jürgen', lastName: 'Schwarzmüller', emails: [] }),
    });
    const names = async (query: string) =>
      (await call('GET', `/contacts?${query}`)).json.items.map(
        (item: ContactDoc) => item.lastName,
      ) as string[];
    expect(await names('name=SCHWARZMUELLER')).to.include('Schwarzmüller');
    expect(await names('name=schwarzmü&nameMatch=prefix')).to.include('Schwarzmüller');
    expect(await names('name=jürg&nameMatch=prefix')).to.include('Schwarzmüller');
    expect(await names('name=zmüller&nameMatch=contains')).to.include('Schwarzmüller');
    expect(await names('name=zmüller&nameMatch=prefix')).to.not.include('Schwarzmüller');
  });

  it('searches by city, partner, e-mail, phone and sync flag together', async () => {
    const created = (
      await call('POST', '/contacts', {
        body: newContact({ emails: [{ address: 'Finde.Mich@Example.de' }], groupwareSync: false }),
      })
    ).json;
    const query = new URLSearchParams({
      city: 'NUERNBERG',
      partnerId: 'GP-0001',
      email: 'finde.mich@example.de',
      phone: '0160 1234567',
      groupwareSync: 'false',
    });
    const found = (await call('GET', `/contacts?${query}`)).json.items.map((item: ContactDoc) => item.id);
    expect(found).to.deep.equal([created.id]);
  });

  it('lists changes since a cursor, with a tombstone for a deleted contact', async () => {
    const all = await call('GET', '/contacts/changes?limit=5000');
    const cursor = all.json.nextCursor;
    expect(all.json.hasMore).to.equal(false);
    const created = (await call('POST', '/contacts', { body: newContact({ emails: [] }) })).json;
    await call('DELETE', `/contacts/${created.id}`, { headers: { 'if-match': '"1"' } });
    const changes = (await call('GET', `/contacts/changes?since=${cursor}`)).json;
    expect(
      changes.changes.map((change: { type: string; id: string }) => [change.type, change.id]),
    ).to.deep.equal([['delete', created.id]]);
    const later = (await call('GET', `/contacts/changes?since=${changes.nextCursor}`)).json;
    expect(later.changes).to.deep.equal([]);
    expect(later.nextCursor).to.equal(changes.nextCursor);
  });

  it('looks up contacts in bulk by e-mail and by phone in any format', async () => {
    const created = (
      await call('POST', '/contacts', {
        body: newContact({
          emails: [{ address: 'bulk.lookup@example.de' }],
          phones: { mobile: '0176 9988776' },
        }),
      })
    ).json;
    const byEmail = await call('POST', '/contacts/lookup', {
      body: { emails: ['BULK.LOOKUP@example.de', 'nobody@example.de'] },
    });
    expect(byEmail.json.items.map((item: ContactDoc) => item.id)).to.deep.equal([created.id]);
    const byPhone = await call('POST', '/contacts/lookup', {
      body: { phones: ['+49 176 9988776', '0049 176 99 88 776'] },
    });
    expect(byPhone.json.items.map((item: ContactDoc) => item.id)).to.deep.equal([created.id]);
    const tooMany = await call('POST', '/contacts/lookup', {
      body: { emails: Array.from({ length: 1001 }, (_, i) => `${i}@x.de`) },
    });
    expect(tooMany.status).to.equal(400);
    expect(tooMany.json.field).to.equal('emails');
  });

  it('stores photo bytes, refuses what is not an image, and versions the contact on change', async () => {
    const created = (await call('POST', '/contacts', { body: newContact({ emails: [] }) }))
      .json as ContactDoc;
    expect((await call('GET', `/contacts/${created.id}/photo`)).status).to.equal(404);
    const png = Buffer.from(crm.store.getPhoto('AP-000001')!.bytes);
    const put = await call('PUT', `/contacts/${created.id}/photo`, {
      body: png,
      headers: { 'content-type': 'image/png', 'if-match': '"1"' },
    });
    expect(put.status).to.equal(200);
    expect(put.json).to.include({ hasPhoto: true, version: 2 });
    const response = await fetch(`${crm.url}/contacts/${created.id}/photo`, {
      headers: { 'x-api-key': crm.apiKey },
    });
    expect(response.headers.get('content-type')).to.equal('image/png');
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).to.equal(true);
    const text = await call('PUT', `/contacts/${created.id}/photo`, {
      body: Buffer.from('not an image'),
      headers: { 'content-type': 'image/jpeg', 'if-match': '"2"' },
    });
    expect(text.status).to.equal(400);
    expect(text.json.field).to.equal('photo');
  });

  it('searches business partners by name, domain and city', async () => {
    const partner = (await call('GET', '/partners/GP-0002')).json;
    const byDomain = (await call('GET', `/partners?domain=${partner.emailDomains[0].toUpperCase()}`)).json
      .items;
    expect(byDomain.map((item: { id: string }) => item.id)).to.deep.equal(['GP-0002']);
    const byCity = (
      await call('GET', `/partners?city=${encodeURIComponent(partner.address.city.toUpperCase())}`)
    ).json.items;
    expect(byCity.map((item: { id: string }) => item.id)).to.include('GP-0002');
    const prefix = encodeURIComponent(partner.name.slice(0, 5).toLowerCase());
    const byName = (await call('GET', `/partners?name=${prefix}&nameMatch=prefix`)).json.items;
    expect(byName.map((item: { id: string }) => item.id)).to.include('GP-0002');
    expect((await call('GET', '/partners/GP-9999')).status).to.equal(404);
  });
  it('answers late but rightly when a slow answer is injected, for the method and path named only', async () => {
    crm.faults.enqueue({ delayMs: 300, method: 'POST', pathPrefix: '/api/v1/contacts', times: 1 });
    // A read does not use up the fault: the one write it names is still answered late.
    expect((await call('GET', '/contacts?limit=1')).status).to.equal(200);
    const written = performance.now();
    const created = await call('POST', '/contacts', { body: newContact({ lastName: 'Langsam' }) });
    expect(performance.now() - written).to.be.at.least(290);
    expect(created.status, created.text).to.equal(201);
    expect(created.json.lastName).to.equal('Langsam');
  });
  it('holds the writes it is told to hold, after letting the first through, until released', async () => {
    const hold = crm.faults.hold({ method: 'POST', pathPrefix: '/api/v1/contacts', after: 1 });
    const first = await call('POST', '/contacts', { body: newContact({ lastName: 'Erster' }) });
    expect(first.status, first.text).to.equal(201);
    let answered = false;
    const second = call('POST', '/contacts', { body: newContact({ lastName: 'Zweiter' }) }).then((answer) => {
      answered = true;
      return answer;
    });
    const deadline = Date.now() + 5_000;
    while (hold.held < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(hold.held, 'the second write is held').to.equal(1);
    expect((await call('GET', '/contacts?limit=1')).status, 'reads are not held').to.equal(200);
    expect(answered, 'a held write is not answered').to.equal(false);
    hold.release();
    expect((await second).status).to.equal(201);
    expect(hold.held).to.equal(0);
  });
});
