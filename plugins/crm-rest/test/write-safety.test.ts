import { expect } from 'chai';
import { ConcurrencyError, type Contact, type RecordProblem } from '../../../core/index.js';
import { encodeChangeCursor } from '../../../emulators/crm/api/cursor.js';
import type { CrmServer } from '../../../emulators/crm/index.js';
import type { ContactDoc } from '../../../emulators/crm/store/documents.js';
import { CrmRestConnector } from '../src/index.js';
import { ContactMapper } from '../src/mapping/contact-mapper.js';
import { rejection } from './support/connector-suite.js';
import type { CrmHarness } from './support/harness.js';
import { sampleContact } from './support/harness.js';
import { readProfile, referenceProfileFile } from './support/profiles.js';
import { referenceHarness } from './support/reference-harness.js';

describe('crm-rest writes keep the CRM data and its versions intact', () => {
  let harness: CrmHarness & { server: CrmServer };
  const stored = (id: string) => JSON.parse(harness.server.store.getContact(id)!.doc) as ContactDoc;
  before(async () => {
    harness = await referenceHarness();
  });
  after(async () => harness?.close());

  it('keeps the salutation code "divers" when an update changes only the notes', async () => {
    const doc = harness.server.store.createContact(
      {
        partnerId: 'GP-0001',
        salutationCode: 'D',
        lastName: 'Kaya',
        emails: [],
        phones: {},
        groupwareSync: true,
      },
      new Date().toISOString(),
    );
    const contact = (await harness.connector.getContact(doc.id))!;
    expect(contact.salutation).to.equal(undefined);
    await harness.connector.updateContact({ ...contact, notes: 'Rückruf erbeten' });
    expect(stored(doc.id)).to.include({ salutationCode: 'D', notes: 'Rückruf erbeten' });
    const changed = (await harness.connector.getContact(doc.id))!;
    await harness.connector.updateContact({ ...changed, salutation: 'Frau' });
    expect(stored(doc.id).salutationCode).to.equal('F');
  });

  it('round-trips a website, and drops only the fields the profile lists under ignore', async () => {
    const created = await harness.connector.createContact({
      ...sampleContact(harness.partnerIds[0]),
      website: 'https://example.de/team/jw',
      nickname: 'Jö',
    });
    const read = (await harness.connector.getContact(created.ids.crmId!))!;
    expect(read.website).to.equal('https://example.de/team/jw');
    expect(read.nickname).to.equal(undefined);
  });

  it('refuses a create whose values the profile has no place for, naming the field, before sending', async () => {
    const strict = harness.connectorWith((profile) => {
      delete profile.contact.ignore;
    });
    const cases: [Partial<Contact>, string][] = [
      [{ nickname: 'Kalle' }, 'nickname'],
      [{ middleName: 'Maria' }, 'middleName'],
      [{ suffix: 'jun.' }, 'suffix'],
      [{ categories: ['VIP'] }, 'categories'],
      [{ addresses: [{ type: 'business', city: 'Gießen', region: 'Hessen' }] }, 'addresses.region'],
    ];
    const before = harness.countContacts();
    for (const [extra, field] of cases) {
      const error = await rejection(
        strict.createContact({ ...sampleContact(harness.partnerIds[0]), ...extra }),
      );
      expect(error.code, field).to.equal('CRMSYNC_ERR_CRM_RECORD');
      expect(error.location.field, field).to.equal(field);
    }
    expect(harness.countContacts()).to.equal(before);
  });

  it("files a private address in the CRM's home address and reads both addresses back", async () => {
    const business = {
      type: 'business' as const,
      street: 'Hohe Straße 1',
      postalCode: '50667',
      city: 'Köln',
      country: 'DE',
    };
    const home = {
      type: 'home' as const,
      street: 'Gartenweg 2',
      postalCode: '35390',
      city: 'Gießen',
      country: 'DE',
    };
    const created = await harness.connector.createContact({
      ...sampleContact(harness.partnerIds[0]),
      addresses: [business, home],
    });
    expect(stored(created.ids.crmId!).homeAddress).to.deep.equal({
      street: 'Gartenweg 2',
      postalCode: '35390',
      city: 'Gießen',
      country: 'DE',
    });
    const again = (await harness.connector.getContact(created.ids.crmId!))!;
    expect(again.addresses).to.deep.include.members([business, home]);
  });

  it('refuses to file an address of a type the CRM has no slot for, or an e-mail type it has no code for, under another type', async () => {
    const before = harness.countContacts();
    const other = await rejection(
      harness.connector.createContact({
        ...sampleContact(harness.partnerIds[0]),
        addresses: [{ type: 'other', street: 'Gartenweg 2', postalCode: '35390', city: 'Gießen' }],
      }),
    );
    expect(other.location.field).to.equal('addresses');
    expect(other.message).to.contain('other address');
    const withoutOther = harness.connectorWith((profile) => {
      const type = profile.contact.emails!.type as { values: Record<string, string> };
      delete type.values.other;
    });
    const email = await rejection(
      withoutOther.createContact({
        ...sampleContact(harness.partnerIds[0]),
        emails: [{ address: 'sonst@example.de', type: 'other' }],
      }),
    );
    expect(email.location.field).to.equal('emails');
    expect(email.message).to.contain('type other');
    expect(harness.countContacts()).to.equal(before);
  });

  it('refuses an update without the version it is based on, naming the record and the field', async () => {
    const created = await harness.connector.createContact(sampleContact(harness.partnerIds[0]));
    const error = await rejection(
      harness.connector.updateContact({
        ...created,
        notes: 'ohne Version',
        ids: { crmId: created.ids.crmId },
      }),
    );
    expect(error.code).to.equal('CRMSYNC_ERR_CRM_NO_VERSION');
    expect(error.location).to.include({ recordId: created.ids.crmId, field: 'ids.crmVersion' });
    expect(stored(created.ids.crmId!).notes).to.equal(created.notes);
  });

  it('never sends the version it read back as the basis of an update', () => {
    const profile = readProfile(referenceProfileFile);
    profile.concurrency = { mode: 'body' };
    const mapper = new ContactMapper(profile.contact, { versionInBody: true });
    const contact = { ...sampleContact('GP-0001'), ids: { crmId: 'AP-000001' } };
    const record = mapper.toRecord(contact, 'update', { ...profile.contact.sample, version: 9 });
    expect(record).to.not.have.property('version');
  });

  it('finds the valid contacts of a bulk lookup and reports the malformed one it skips', async () => {
    const created = await harness.connector.createContact(sampleContact(harness.partnerIds[0]));
    const email = created.emails[0]!.address;
    const mobile = created.phones.find((phone) => phone.type === 'mobile')!.number;
    harness.server.store.insertRawContact('AP-KAPUTT-LOOKUP', {
      id: 'AP-KAPUTT-LOOKUP',
      partnerId: 'GP-0001',
      firstName: 'Ohne Nachname',
      emails: [{ address: email, kind: 'work' }],
      phones: { mobile },
      groupwareSync: true,
      hasPhoto: false,
      version: 1,
    });
    const problems: RecordProblem[] = [];
    const connector = new CrmRestConnector({
      profile: { ...harness.connector.profile },
      profileFile: referenceProfileFile,
      onProblem: (problem) => problems.push(problem),
    });
    const byEmail = await connector.findByEmails([email]);
    expect(byEmail.map((contact) => contact.ids.crmId)).to.deep.equal([created.ids.crmId]);
    const byPhone = await connector.findByPhones([mobile]);
    expect(byPhone.map((contact) => contact.ids.crmId)).to.deep.equal([created.ids.crmId]);
    expect(problems.map((problem) => problem.location.recordId)).to.deep.equal([
      'AP-KAPUTT-LOOKUP',
      'AP-KAPUTT-LOOKUP',
    ]);
    expect(problems[0]!.location.field).to.equal('surname');
  });

  it('refuses stale photo writes and deletions, and bases them on the current version when none is given', async () => {
    const created = await harness.connector.createContact(sampleContact(harness.partnerIds[0]));
    const id = created.ids.crmId!;
    const png = harness.server.store.getPhoto('AP-000001')!;
    const photo = { mediaType: png.mediaType, bytes: png.bytes };
    await harness.connector.setPhoto(id, photo, created.ids.crmVersion);
    expect(await rejection(harness.connector.setPhoto(id, photo, created.ids.crmVersion))).to.be.instanceOf(
      ConcurrencyError,
    );
    expect(
      await rejection(harness.connector.setPhoto(id, undefined, created.ids.crmVersion)),
    ).to.be.instanceOf(ConcurrencyError);
    expect(harness.server.store.getPhoto(id)).to.not.equal(undefined);
    await harness.connector.setPhoto(id, undefined);
    expect(harness.server.store.getPhoto(id)).to.equal(undefined);
    expect(await rejection(harness.connector.deleteContact(id, created.ids.crmVersion))).to.be.instanceOf(
      ConcurrencyError,
    );
    await harness.connector.deleteContact(id);
    expect(await harness.connector.getContact(id)).to.equal(undefined);
  });

  it('says a full resync is needed when the CRM no longer accepts the change cursor', async () => {
    const foreign = encodeChangeCursor('another-database', 1);
    const error = await rejection(
      (async () => {
        for await (const _change of harness.connector.changesSince(foreign)) {
          // reading is enough
        }
      })(),
    );
    expect(error.code).to.equal('CRMSYNC_ERR_CURSOR_EXPIRED');
    expect(error.message).to.contain('full resync');
  });
});
