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

const crmIdProperty = 'String {6f1d3c2a-8b4e-4f5a-9c7d-2e0b1a3f4c5d} Name crmsync-crm-id';

describe('The Graph emulator’s contacts and contact folders', () => {
  let session: GraphSession;
  const send: GraphSession['send'] = (...request) => session.send(...request);
  const create = async (body: Json, user = anna) => {
    const answer = await send('POST', contacts(user), body);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    return answer.body;
  };

  before(async () => {
    session = await graphSession();
  });
  after(async () => session?.close());

  it('creates the documentation’s example contact and answers with every property the documented GET shows', async () => {
    const created = await create(docPayload('contact-create.request.json'));
    const documented = docPayload('contact-get.response.json');
    expect(Object.keys(created).filter((key) => !key.startsWith('@odata'))).to.have.members(
      Object.keys(documented),
    );
    expect(created.givenName).to.equal('Pavel');
    expect(created.emailAddresses).to.deep.equal([
      { address: 'pavelb@fabrikam.onmicrosoft.com', name: 'Pavel Bansky' },
    ]);
    expect(created.homeAddress).to.deep.equal({});
    expect(created['@odata.etag']).to.equal(`W/"${created.changeKey}"`);
  });

  it('updates with the documented PATCH body, keeps the rest and changes the change key', async () => {
    const created = await create({ givenName: 'Garth', surname: 'Fort', jobTitle: 'Web Marketing Manager' });
    const answer = await send(
      'PATCH',
      `${contacts()}/${encodeURIComponent(created.id)}`,
      docPayload('contact-update.request.json'),
    );
    expect(answer.status).to.equal(200);
    expect(answer.body.homeAddress.city).to.equal('Seattle');
    expect(answer.body.jobTitle).to.equal('Web Marketing Manager');
    expect(answer.body.changeKey).to.not.equal(created.changeKey);
  });

  it('refuses an update whose If-Match names an old change key with 412 ErrorIrresolvableConflict, and keeps the newer data', async () => {
    const created = await create({ surname: 'Konflikt' });
    const url = `${contacts()}/${encodeURIComponent(created.id)}`;
    expect(
      (await send('PATCH', url, { jobTitle: 'Neu' }, { 'If-Match': created['@odata.etag'] })).status,
    ).to.equal(200);
    const stale = await send('PATCH', url, { jobTitle: 'Alt' }, { 'If-Match': created['@odata.etag'] });
    expect(stale.status).to.equal(412);
    expect(stale.body.error.code).to.equal('ErrorIrresolvableConflict');
    expect((await send('GET', url)).body.jobTitle).to.equal('Neu');
    expect((await send('DELETE', url, undefined, { 'If-Match': created['@odata.etag'] })).status).to.equal(
      412,
    );
  });

  it('deletes with 204, then answers the id with 404 ErrorItemNotFound', async () => {
    const created = await create({ surname: 'Weg' });
    const url = `${contacts()}/${encodeURIComponent(created.id)}`;
    const deleted = await send('DELETE', url);
    expect(deleted.status).to.equal(204);
    expect(deleted.body).to.equal(undefined);
    const gone = await send('GET', url);
    expect(gone.status).to.equal(404);
    expect(gone.body.error.code).to.equal('ErrorItemNotFound');
  });

  it('refuses more e-mail addresses or business phones than Outlook holds, with the service’s wording', async () => {
    const emails = await send('POST', contacts(), {
      emailAddresses: ['a', 'b', 'c', 'd'].map((name) => ({ address: `${name}@example.com` })),
    });
    expect(emails.status).to.equal(400);
    expect(emails.body.error.message).to.equal(
      'The multi value property EmailAddresses has 4 entries, that exceeds the max allowed value of 3',
    );
    const phones = await send('POST', contacts(), { businessPhones: ['1', '2', '3'] });
    expect(phones.body.error.message).to.match(/BusinessPhones has 3 entries/);
  });

  it('refuses a property the contact type does not have', async () => {
    const answer = await send('POST', contacts(), { surname: 'X', favouriteColour: 'blau' });
    expect(answer.status).to.equal(400);
    expect(answer.body.error.code).to.equal('RequestBodyRead');
  });

  it('pages with $top and absolute https next links that carry the version and $skip, until the last page has none', async () => {
    const user = ben;
    for (let i = 0; i < 25; i++) await create({ surname: `Seite${i}` }, user);
    const seen: string[] = [];
    let url: string | undefined = `${contacts(user)}?$top=10&$select=surname`;
    const links: string[] = [];
    while (url) {
      const answer = await send('GET', url);
      expect(answer.status).to.equal(200);
      seen.push(...answer.body.value.map((contact: Json) => contact.surname));
      url = answer.body['@odata.nextLink'];
      if (url) links.push(url);
    }
    expect(seen).to.have.length(25);
    expect(new Set(seen).size).to.equal(25);
    expect(links).to.have.length(2);
    expect(links[0]).to.match(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\/.+\/contacts\?.*\$skip=10$/);
  });

  it('answers $select with the selected properties, the id and the etag only', async () => {
    const created = await create({ givenName: 'Sel', surname: 'Ektiert', jobTitle: 'X' });
    const answer = await send(
      'GET',
      `${contacts()}/${encodeURIComponent(created.id)}?$select=surname,changeKey`,
    );
    expect(Object.keys(answer.body).filter((key) => !key.startsWith('@odata'))).to.have.members([
      'id',
      'surname',
      'changeKey',
    ]);
  });

  it('finds a contact by its single-value extended property with $filter and returns the property only when expanded', async () => {
    await create({
      surname: 'Gestempelt',
      singleValueExtendedProperties: [{ id: crmIdProperty, value: "AP-1'7" }],
    });
    await create({
      surname: 'Anders',
      singleValueExtendedProperties: [{ id: crmIdProperty, value: 'AP-2' }],
    });
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${crmIdProperty}' and ep/value eq 'AP-1''7')`;
    const plain = await send('GET', `${contacts()}?$filter=${encodeURIComponent(filter)}`);
    expect(plain.body.value.map((contact: Json) => contact.surname)).to.deep.equal(['Gestempelt']);
    expect(plain.body.value[0]).to.not.have.property('singleValueExtendedProperties');
    const expand = `singleValueExtendedProperties($filter=id eq '${crmIdProperty}')`;
    const expanded = await send(
      'GET',
      `${contacts()}?$filter=${encodeURIComponent(filter)}&$expand=${encodeURIComponent(expand)}`,
    );
    const documented = docPayload('extprop-get-message-expanded.response.json');
    expect(expanded.body.value[0].singleValueExtendedProperties).to.deep.equal([
      { id: crmIdProperty, value: "AP-1'7" },
    ]);
    expect(Object.keys(expanded.body.value[0])).to.include.members(
      Object.keys(documented).filter((key) => key.startsWith('singleValueExtendedProperties')),
    );
  });

  it('finds a contact by e-mail address with the documented any() filter, ignoring case', async () => {
    await create({ surname: 'Mail', emailAddresses: [{ address: 'Mia+Work@Example.com' }] });
    const filter = "emailAddresses/any(a:a/address eq 'mia+work@example.com')";
    const answer = await send('GET', `${contacts()}?$filter=${encodeURIComponent(filter)}`);
    expect(answer.body.value.map((contact: Json) => contact.surname)).to.deep.equal(['Mail']);
  });

  it('refuses a filter the contact list does not support', async () => {
    const answer = await send(
      'GET',
      `${contacts()}?$filter=${encodeURIComponent("startswith(surname,'A')")}`,
    );
    expect(answer.status).to.equal(400);
    expect(answer.body.error.code).to.equal('ErrorInvalidUrlQueryFilter');
  });

  it('creates folders, lists them without the default Contacts folder, and keeps their contacts apart', async () => {
    const folder = await send(
      'POST',
      `/users/${anna}/contactFolders`,
      docPayload('contactfolder-create.request.json'),
    );
    expect(folder.status).to.equal(201);
    expect(Object.keys(folder.body).filter((key) => !key.startsWith('@odata'))).to.have.members(
      Object.keys(docPayload('contactfolder-create.response.json')),
    );
    const duplicate = await send('POST', `/users/${anna}/contactFolders`, {
      displayName: 'Important contacts',
    });
    expect(duplicate.status).to.equal(409);
    const listed = await send('GET', `/users/${anna}/contactFolders`);
    expect(listed.body.value.map((f: Json) => f.displayName)).to.deep.equal(['Important contacts']);
    const inFolder = `/users/${anna}/contactFolders/${encodeURIComponent(folder.body.id)}/contacts`;
    const made = await send('POST', inFolder, { surname: 'ImOrdner' });
    expect(made.body.parentFolderId).to.equal(folder.body.id);
    expect((await send('GET', inFolder)).body.value).to.have.length(1);
    const inDefault = (await send('GET', `${contacts()}?$top=1000`)).body.value.map((c: Json) => c.surname);
    expect(inDefault).to.not.include('ImOrdner');
    const child = await send(
      'POST',
      `/users/${anna}/contactFolders/${encodeURIComponent(folder.body.id)}/childFolders`,
      {
        displayName: 'Kinder',
      },
    );
    expect(child.status).to.equal(201);
    expect(
      (await send('DELETE', `/users/${anna}/contactFolders/${encodeURIComponent(folder.body.id)}`)).status,
    ).to.equal(204);
    expect((await send('GET', inFolder)).status).to.equal(404);
  });

  it('keeps two mailboxes apart: a contact of one is not found through the other', async () => {
    const created = await create({ surname: 'NurAnna' });
    expect((await send('GET', `${contacts(ben)}/${encodeURIComponent(created.id)}`)).status).to.equal(404);
  });

  it('answers an unknown path segment with 400 BadRequest naming the segment', async () => {
    const answer = await send('GET', `/users/${anna}/kontakte`);
    expect(answer.status).to.equal(400);
    expect(answer.body.error.message).to.equal("Resource not found for the segment 'kontakte'.");
  });
});
