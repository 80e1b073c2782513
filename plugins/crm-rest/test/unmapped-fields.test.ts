import { expect } from 'chai';
import { CrmRestConnector } from '../src/index.js';
import { rejection } from './support/connector-suite.js';
import { type OtherCrm, startOtherCrm } from './support/other-crm-server.js';
import { otherProfileFile, readProfile } from './support/profiles.js';
import { update } from './support/writes.js';

describe('crm-rest updates and the data a profile does not map', () => {
  let crm: OtherCrm;
  const connector = (preserveUnmapped?: boolean) => {
    const profile = readProfile(otherProfileFile);
    profile.baseUrl = crm.url;
    profile.auth = { type: 'bearer', token: crm.token };
    if (preserveUnmapped !== undefined) profile.endpoints.updateContact!.preserveUnmapped = preserveUnmapped;
    return new CrmRestConnector({ profile, profileFile: otherProfileFile });
  };
  const person = () => ({
    org: { orgId: crm.orgIds[0], name: 'x' },
    person: { anrede: 1, vorname: 'Karl', nachname: 'Kunde', spitzname: 'Kalle' },
    job: { position: 'Einkauf' },
    contactPoints: [
      { channel: 'MAIL', value: 'karl.kunde@example.de' },
      { channel: 'WEB', value: 'https://kunde.example.de' },
      { channel: 'TEL', value: '089 123456' },
    ],
    kundennummer: 'K-4711',
    outlookSync: 'J',
    meta: { rev: 1 },
  });

  before(async () => {
    crm = await startOtherCrm({ contacts: 3 });
  });
  after(async () => crm?.close());

  it('keeps fields, nested values and shared-list items it does not map when it updates a contact', async () => {
    const id = String(crm.insertRaw(person()));
    const contact = (await connector().getContact(id))!;
    const before = crm.requests.length;
    await update(connector(), {
      ...contact,
      jobTitle: 'Leitung Einkauf',
      emails: [{ address: 'k.kunde@example.de', type: 'work' }],
      phones: [{ number: '0171 2223334', type: 'mobile' }],
    });
    const stored = crm.persons.get(Number(id)) as ReturnType<typeof person>;
    expect(stored.kundennummer).to.equal('K-4711');
    expect(stored.person.spitzname).to.equal('Kalle');
    expect(stored.job.position).to.equal('Leitung Einkauf');
    expect(stored.contactPoints).to.deep.equal([
      { channel: 'WEB', value: 'https://kunde.example.de' },
      { channel: 'MAIL', value: 'k.kunde@example.de' },
      { channel: 'MOBIL', value: '0171 2223334' },
    ]);
    expect(stored.meta.rev).to.equal(2);
    // The record travelled with the contact: nothing was read again before the write.
    expect(crm.requests.slice(before).map((request) => request.split('?')[0])).to.deep.equal([
      `PUT /v2/people/${id}`,
    ]);
  });

  it('reads the record first when the contact carries none, and keeps its unmapped fields', async () => {
    const id = String(crm.insertRaw(person()));
    const { extensions: _carried, ...contact } = (await connector().getContact(id))!;
    await update(connector(), { ...contact, jobTitle: 'Vertrieb' });
    const stored = crm.persons.get(Number(id)) as ReturnType<typeof person>;
    expect(stored.kundennummer).to.equal('K-4711');
    expect(stored.job.position).to.equal('Vertrieb');
  });

  it('refuses an update whose version is not the one the CRM holds, when the contact carries no record, and writes nothing', async () => {
    const id = String(crm.insertRaw(person()));
    const { extensions: _carried, ...contact } = (await connector().getContact(id))!;
    await update(connector(), { ...contact, jobTitle: 'Erste Änderung' });
    const before = crm.requests.length;
    const error = await rejection(update(connector(), { ...contact, jobTitle: 'Veraltet' }));
    expect(error.code).to.equal('CRMSYNC_ERR_STALE_VERSION');
    expect(error.location.recordId).to.equal(id);
    expect(error.message).to.contain('version 2');
    expect(crm.requests.slice(before).every((request) => request.startsWith('GET '))).to.equal(true);
    expect((crm.persons.get(Number(id)) as ReturnType<typeof person>).job.position).to.equal(
      'Erste Änderung',
    );
  });

  it('sends only the mapped fields when the profile turns preservation off', async () => {
    const id = String(crm.insertRaw(person()));
    const contact = (await connector(false).getContact(id))!;
    await update(connector(false), { ...contact, jobTitle: 'Leitung Einkauf' });
    const stored = crm.persons.get(Number(id)) as Partial<ReturnType<typeof person>>;
    expect(stored.kundennummer).to.equal(undefined);
    expect(stored.contactPoints!.map((point) => point.channel)).to.deep.equal(['MAIL', 'TEL']);
  });
});
