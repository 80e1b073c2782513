import { expect } from 'chai';
import { type CrmServer, startCrmServer } from '../index.js';
import { call, type Json } from './support/call.js';

const newContact = (extra: Record<string, unknown> = {}) => ({
  partnerId: 'GP-0001',
  salutationCode: 'H',
  firstName: 'Jörg',
  lastName: 'Schäfer',
  emails: [],
  phones: {},
  groupwareSync: true,
  ...extra,
});

describe('reference CRM: preconditions, keys and dates as the standards define them', () => {
  let crm: CrmServer;
  const create = async (extra: Record<string, unknown> = {}): Promise<Json> =>
    (await call(crm, 'POST', '/api/v1/contacts', { body: newContact(extra) })).json;
  const png = () => Buffer.from(crm.store.getPhoto('AP-000001')!.bytes);

  before(async () => {
    crm = await startCrmServer({
      port: 0,
      apiKey: 'the-real-key',
      readOnlyApiKey: 'read-only',
      seed: { partners: 2, contacts: 5 },
    });
  });
  after(async () => crm.close());

  it('refuses a photo upload or removal without If-Match with 428 naming the header, and changes nothing', async () => {
    const created = await create();
    const put = await call(crm, 'PUT', `/api/v1/contacts/${created.id}/photo`, {
      body: png(),
      headers: { 'content-type': 'image/png' },
    });
    expect(put.status).to.equal(428);
    expect(put.json.field).to.equal('If-Match');
    const removal = await call(crm, 'DELETE', `/api/v1/contacts/${created.id}/photo`);
    expect(removal.status).to.equal(428);
    expect(crm.store.getPhoto(created.id)).to.equal(undefined);
    expect(crm.store.getContact(created.id)!.version).to.equal(1);
  });

  it('takes If-Match: * as "whatever version the contact has now" on every route that takes If-Match', async () => {
    const created = await create();
    const path = `/api/v1/contacts/${created.id}`;
    const any = { 'if-match': '*' };
    expect(
      (await call(crm, 'PUT', path, { body: newContact({ notes: 'eins' }), headers: any })).json.version,
    ).to.equal(2);
    const photo = await call(crm, 'PUT', `${path}/photo`, {
      body: png(),
      headers: { ...any, 'content-type': 'image/png' },
    });
    expect(photo.json.version).to.equal(3);
    expect((await call(crm, 'DELETE', `${path}/photo`, { headers: any })).status).to.equal(204);
    expect((await call(crm, 'DELETE', path, { headers: any })).status).to.equal(204);
    expect(crm.store.getContact(created.id)).to.equal(undefined);
  });

  it('accepts a list of entity tags when one of them is the current version, and refuses it when none is', async () => {
    const created = await create();
    const path = `/api/v1/contacts/${created.id}`;
    const miss = await call(crm, 'PUT', path, { body: newContact(), headers: { 'if-match': '"5", "7"' } });
    expect(miss.status).to.equal(412);
    const hit = await call(crm, 'PUT', path, {
      body: newContact(),
      headers: { 'if-match': '"0", "1" ,"2"' },
    });
    expect(hit.status).to.equal(200);
    const photo = await call(crm, 'PUT', `${path}/photo`, {
      body: png(),
      headers: { 'if-match': '"1", "2"', 'content-type': 'image/png' },
    });
    expect(photo.json.version).to.equal(3);
  });

  it('never lets a weak entity tag satisfy If-Match, since If-Match compares strongly', async () => {
    const created = await create();
    const path = `/api/v1/contacts/${created.id}`;
    expect(
      (await call(crm, 'PUT', path, { body: newContact(), headers: { 'if-match': 'W/"1"' } })).status,
    ).to.equal(412);
    expect((await call(crm, 'DELETE', path, { headers: { 'if-match': 'W/"1"' } })).status).to.equal(412);
    const photo = await call(crm, 'PUT', `${path}/photo`, {
      body: png(),
      headers: { 'if-match': 'W/"1"', 'content-type': 'image/png' },
    });
    expect(photo.status).to.equal(412);
    expect((await call(crm, 'DELETE', path, { headers: { 'if-match': 'W/"1", "1"' } })).status).to.equal(204);
  });

  it('answers 400 naming If-Match for a value that is not an entity tag', async () => {
    const created = await create();
    for (const value of ['1', '"1', 'etwas', '"1" "2"']) {
      const answer = await call(crm, 'PUT', `/api/v1/contacts/${created.id}`, {
        body: newContact(),
        headers: { 'if-match': value },
      });
      expect(answer.status, value).to.equal(400);
      expect(answer.json.field, value).to.equal('If-Match');
    }
    expect(crm.store.getContact(created.id)!.version).to.equal(1);
  });

  it('refuses a birthday that no calendar has with 400 naming the field', async () => {
    for (const birthday of ['2023-02-30', '2023-02-29', '1990-04-31', '2001-13-01', '2001-00-10']) {
      const answer = await call(crm, 'POST', '/api/v1/contacts', { body: newContact({ birthday }) });
      expect(answer.status, birthday).to.equal(400);
      expect(answer.json.field, birthday).to.equal('birthday');
      expect(answer.json.message, birthday).to.contain(birthday);
    }
    const leap = await call(crm, 'POST', '/api/v1/contacts', {
      body: newContact({ birthday: '2024-02-29' }),
    });
    expect(leap.status).to.equal(201);
  });

  it('refuses keys of any length that are not the key with 403, never with a server error', async () => {
    for (const key of ['t', 'the-real-kez', 'the-real-key-and-more', 'x'.repeat(4000), 'read-onlx']) {
      const answer = await call(crm, 'GET', '/api/v1/contacts?limit=1', { key });
      expect(answer.status, key.slice(0, 20)).to.equal(403);
    }
    expect((await call(crm, 'GET', '/api/v1/contacts?limit=1', { key: 'the-real-key' })).status).to.equal(
      200,
    );
    expect((await call(crm, 'GET', '/api/v1/contacts?limit=1', { key: 'read-only' })).status).to.equal(200);
    expect(
      (await call(crm, 'POST', '/api/v1/contacts', { key: 'read-only', body: newContact() })).status,
    ).to.equal(403);
  });
});

describe('reference CRM: creates under an Idempotency-Key', () => {
  let crm: CrmServer;
  const post = (key: string | undefined, body: unknown) =>
    call(crm, 'POST', '/api/v1/contacts', {
      body,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });

  before(async () => {
    crm = await startCrmServer({ port: 0, seed: { partners: 2, contacts: 5 } });
  });
  after(async () => crm.close());

  it('answers a repeated key and body with the contact the first request created, as it is now, and creates nothing', async () => {
    const before = crm.store.countContacts();
    const first = await post('anlage-1', newContact({ lastName: 'Einmalig' }));
    expect(first.status).to.equal(201);
    expect(first.headers.get('idempotent-replayed')).to.equal(null);
    await call(crm, 'PUT', `/api/v1/contacts/${first.json.id}`, {
      body: newContact({ lastName: 'Einmalig', notes: 'seither geändert' }),
      headers: { 'if-match': '"1"' },
    });
    // The same content with its keys in another order is the same body.
    const { lastName: _l, ...rest } = newContact();
    const again = await post('anlage-1', { lastName: 'Einmalig', ...rest });
    expect(again.status).to.equal(201);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(again.json).to.include({ id: first.json.id, version: 2, notes: 'seither geändert' });
    expect(again.headers.get('etag')).to.equal('"2"');
    expect(crm.store.countContacts()).to.equal(before + 1);
  });

  it('refuses the same key with another body with 422 naming the header, and creates nothing', async () => {
    const first = await post('anlage-2', newContact({ lastName: 'Erster' }));
    const before = crm.store.countContacts();
    const other = await post('anlage-2', newContact({ lastName: 'Zweiter' }));
    expect(other.status).to.equal(422);
    expect(other.json.field).to.equal('Idempotency-Key');
    expect(other.json.message).to.contain(first.json.id);
    expect(crm.store.countContacts()).to.equal(before);
  });

  it('tells by key whether a create happened, and keeps the keys in its database', async () => {
    const created = await post('anlage-3', newContact({ lastName: 'Nachfrage' }));
    const found = await call(crm, 'GET', '/api/v1/contacts/created/anlage-3');
    expect(found.status).to.equal(200);
    expect(found.json.id).to.equal(created.json.id);
    expect((await call(crm, 'GET', '/api/v1/contacts/created/nie-benutzt')).status).to.equal(404);
    const row = crm.store.db
      .prepare('SELECT contact_id AS id FROM idempotency_keys WHERE key = ?')
      .get('anlage-3');
    expect(row).to.deep.equal({ id: created.json.id });
  });

  it('answers 400 naming the header for a key that is empty or too long', async () => {
    for (const key of ['', 'k'.repeat(256)]) {
      const answer = await post(key, newContact());
      expect(answer.status).to.equal(400);
      expect(answer.json.field).to.equal('Idempotency-Key');
    }
  });

  it('documents the header, the replay and the lookup by key in its OpenAPI document', async () => {
    const document = (await call(crm, 'GET', '/api/v1/openapi.json', { key: null })).json;
    const create = document.paths['/contacts'].post;
    expect(create.parameters.map((parameter: Json) => parameter.name)).to.include('Idempotency-Key');
    expect(create.responses['201'].headers).to.have.property('Idempotent-Replayed');
    expect(create.responses).to.have.property('422');
    expect(document.paths).to.have.property('/contacts/created/{key}');
    const photo = document.paths['/contacts/{id}/photo'];
    for (const method of ['put', 'delete']) {
      const ifMatch = photo[method].parameters.find((parameter: Json) => parameter.name === 'If-Match');
      expect(ifMatch.required, method).to.equal(true);
      expect(photo[method].responses, method).to.have.property('428');
    }
  });
});
