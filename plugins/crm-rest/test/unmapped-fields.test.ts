import { expect } from 'chai';
import { CrmRestConnector } from '../src/index.js';
import { type OtherCrm, startOtherCrm } from './support/other-crm-server.js';
import { otherProfileFile, readProfile } from './support/profiles.js';

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
    await connector().updateContact({
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
  });

  it('sends only the mapped fields when the profile turns preservation off', async () => {
    const id = String(crm.insertRaw(person()));
    const contact = (await connector(false).getContact(id))!;
    await connector(false).updateContact({ ...contact, jobTitle: 'Leitung Einkauf' });
    const stored = crm.persons.get(Number(id)) as Partial<ReturnType<typeof person>>;
    expect(stored.kundennummer).to.equal(undefined);
    expect(stored.contactPoints!.map((point) => point.channel)).to.deep.equal(['MAIL', 'TEL']);
  });
});
