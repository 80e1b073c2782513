import { expect } from 'chai';
import type { Contact, Fetched, KeyedContact } from '../../../core/index.js';
import { encodeChangeCursor } from '../../../emulators/crm/api/cursor.js';
import type { CrmServer } from '../../../emulators/crm/index.js';
import type { ContactDoc } from '../../../emulators/crm/store/documents.js';
import { ContactMapper } from '../src/mapping/contact-mapper.js';
import { collect, rejection } from './support/connector-suite.js';
import type { CrmHarness } from './support/harness.js';
import { sampleContact } from './support/harness.js';
import { readProfile, referenceProfileFile } from './support/profiles.js';
import { referenceHarness } from './support/reference-harness.js';
import { applyOne, create, newKey, remove, setPhoto, update } from './support/writes.js';

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
    await update(harness.connector, { ...contact, notes: 'Rückruf erbeten' });
    expect(stored(doc.id)).to.include({ salutationCode: 'D', notes: 'Rückruf erbeten' });
    const changed = (await harness.connector.getContact(doc.id))!;
    await update(harness.connector, { ...changed, salutation: 'Frau' });
    expect(stored(doc.id).salutationCode).to.equal('F');
  });

  it('round-trips a website, and drops only the fields the profile lists under ignore', async () => {
    const created = await create(harness.connector, {
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
      const error = await rejection(create(strict, { ...sampleContact(harness.partnerIds[0]), ...extra }));
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
    const created = await create(harness.connector, {
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

  it('writes a country given by its name as the ISO code the reference CRM keeps, and refuses one it cannot name', async () => {
    const created = await create(harness.connector, {
      ...sampleContact(harness.partnerIds[0]),
      addresses: [
        {
          type: 'business',
          street: 'Hohe Straße 1',
          postalCode: '50667',
          city: 'Köln',
          country: 'Deutschland',
        },
        { type: 'home', street: 'Ringstraße 5', postalCode: '1010', city: 'Wien', country: 'Austria' },
      ],
    });
    const record = stored(created.ids.crmId!);
    expect(record.address?.country).to.equal('DE');
    expect(record.homeAddress?.country).to.equal('AT');
    const before = harness.countContacts();
    const error = await rejection(
      create(harness.connector, {
        ...sampleContact(harness.partnerIds[0]),
        addresses: [{ type: 'business', city: 'Köln', country: 'Atlantis' }],
      }),
    );
    expect(error.code).to.equal('CRMSYNC_ERR_CRM_RECORD');
    expect(error.location.field).to.equal('addresses.country');
    expect(error.message).to.include('"Atlantis"');
    expect(harness.countContacts(), 'nothing half written').to.equal(before);
  });

  it('refuses to file an address of a type the CRM has no slot for, or an e-mail type it has no code for, under another type', async () => {
    const before = harness.countContacts();
    const other = await rejection(
      create(harness.connector, {
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
      create(withoutOther, {
        ...sampleContact(harness.partnerIds[0]),
        emails: [{ address: 'sonst@example.de', type: 'other' }],
      }),
    );
    expect(email.location.field).to.equal('emails');
    expect(email.message).to.contain('type other');
    expect(harness.countContacts()).to.equal(before);
  });

  it('refuses an update, a deletion or a photo write without the version it is based on, naming the record, and writes nothing', async () => {
    const created = await create(harness.connector, sampleContact(harness.partnerIds[0]));
    const id = created.ids.crmId!;
    const before = harness.server.faults.requests.length;
    const outcomes = await collect(
      harness.connector.apply([
        {
          kind: 'update',
          key: newKey(),
          id,
          expectedVersion: '',
          contact: { ...created, notes: 'ohne Version' },
        },
        { kind: 'delete', key: newKey(), id, expectedVersion: undefined as unknown as string },
        { kind: 'photo', key: newKey(), id, expectedVersion: '', photo: undefined },
      ]),
    );
    expect(outcomes.map((outcome) => outcome.ok)).to.deep.equal([false, false, false]);
    for (const outcome of outcomes) {
      if (outcome.ok) continue;
      expect(outcome.problem.code).to.equal('CRMSYNC_ERR_NO_VERSION');
      expect(outcome.problem.location).to.include({ recordId: id, field: 'expectedVersion' });
      expect(outcome.retryable).to.equal(false);
    }
    expect(harness.server.faults.requests.length).to.equal(before);
    expect(stored(id).notes).to.equal(created.notes);
  });

  it('answers every operation of a batch, the later ones written although an earlier one failed', async () => {
    const first = await create(harness.connector, sampleContact(harness.partnerIds[0]));
    const second = await create(harness.connector, sampleContact(harness.partnerIds[0]));
    const keys = [newKey(), newKey(), newKey()];
    const outcomes = await collect(
      harness.connector.apply([
        {
          kind: 'update',
          key: keys[0]!,
          id: first.ids.crmId!,
          expectedVersion: '99',
          contact: { ...first, notes: 'veraltet' },
        },
        { kind: 'create', key: keys[1]!, contact: { ...sampleContact('GP-4711'), surname: 'Ohne Partner' } },
        {
          kind: 'update',
          key: keys[2]!,
          id: second.ids.crmId!,
          expectedVersion: second.ids.crmVersion!,
          contact: { ...second, notes: 'aktuell' },
        },
      ]),
    );
    expect(outcomes.map((outcome) => [outcome.key, outcome.ok])).to.deep.equal([
      [keys[0], false],
      [keys[1], false],
      [keys[2], true],
    ]);
    const [stale, rejected] = outcomes as Extract<(typeof outcomes)[number], { ok: false }>[];
    expect(stale!.problem.code).to.equal('CRMSYNC_ERR_STALE_VERSION');
    expect(rejected!.problem.code).to.equal('CRMSYNC_ERR_CRM_REJECTED');
    expect(rejected!.problem.location.field).to.equal('partnerId');
    expect(stored(first.ids.crmId!).notes).to.equal(first.notes);
    expect(stored(second.ids.crmId!).notes).to.equal('aktuell');
  });

  it('marks an operation the CRM could not be asked about as worth retrying, and one it refused as not', async () => {
    const created = await create(harness.connector, sampleContact(harness.partnerIds[0]));
    harness.injectFault(503, '1', 5);
    const unavailable = await applyOne(harness.connector, {
      kind: 'update',
      key: newKey(),
      id: created.ids.crmId!,
      expectedVersion: created.ids.crmVersion!,
      contact: { ...created, notes: 'später' },
    });
    expect(unavailable.ok).to.equal(false);
    expect(!unavailable.ok && unavailable.retryable).to.equal(true);
    const refused = await applyOne(harness.connector, {
      kind: 'update',
      key: newKey(),
      id: created.ids.crmId!,
      expectedVersion: '99',
      contact: { ...created, notes: 'veraltet' },
    });
    expect(!refused.ok && refused.retryable).to.equal(false);
  });

  it('never sends the version it read back as the basis of an update', () => {
    const profile = readProfile(referenceProfileFile);
    profile.concurrency = { mode: 'body' };
    const mapper = new ContactMapper(profile.contact, { versionInBody: true });
    const contact = { ...sampleContact('GP-0001'), ids: { crmId: 'AP-000001' } };
    const record = mapper.toRecord(contact, 'update', { ...profile.contact.sample, version: 9 });
    expect(record).to.not.have.property('version');
  });

  it('finds the valid contacts of a bulk lookup and reports the malformed one in the same stream', async () => {
    const created = await create(harness.connector, sampleContact(harness.partnerIds[0]));
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
    const split = (items: Fetched<KeyedContact>[]) => ({
      found: items.flatMap((item) => (item.ok ? [[item.value.key, item.value.contact.ids.crmId]] : [])),
      problems: items.flatMap((item) => (item.ok ? [] : [item.problem])),
    });
    const byEmail = split(await collect(harness.connector.findByEmails([email])));
    expect(byEmail.found).to.deep.equal([[email, created.ids.crmId]]);
    expect(
      byEmail.problems.map((problem) => [problem.location.recordId, problem.location.field]),
    ).to.deep.equal([['AP-KAPUTT-LOOKUP', 'surname']]);
    const byPhone = split(await collect(harness.connector.findByPhones([mobile])));
    expect(byPhone.found).to.deep.equal([[mobile, created.ids.crmId]]);
    expect(byPhone.problems.map((problem) => problem.location.recordId)).to.deep.equal(['AP-KAPUTT-LOOKUP']);
  });

  it('refuses stale photo writes, photo removals and deletions, and leaves the contact as it was', async () => {
    const created = await create(harness.connector, sampleContact(harness.partnerIds[0]));
    const id = created.ids.crmId!;
    const png = harness.server.store.getPhoto('AP-000001')!;
    const photo = { mediaType: png.mediaType, bytes: png.bytes };
    const withPhoto = await setPhoto(harness.connector, id, photo, created.ids.crmVersion!);
    const staleWrite = await rejection(setPhoto(harness.connector, id, photo, created.ids.crmVersion!));
    expect(staleWrite.code).to.equal('CRMSYNC_ERR_STALE_VERSION');
    const staleRemoval = await rejection(setPhoto(harness.connector, id, undefined, created.ids.crmVersion!));
    expect(staleRemoval.code).to.equal('CRMSYNC_ERR_STALE_VERSION');
    expect(harness.server.store.getPhoto(id)).to.not.equal(undefined);
    const without = await setPhoto(harness.connector, id, undefined, withPhoto.ids.crmVersion!);
    expect(harness.server.store.getPhoto(id)).to.equal(undefined);
    expect(without.ids.crmVersion).to.equal(String(harness.server.store.getContact(id)!.version));
    const staleDelete = await rejection(remove(harness.connector, id, created.ids.crmVersion!));
    expect(staleDelete.code).to.equal('CRMSYNC_ERR_STALE_VERSION');
    await remove(harness.connector, id, without.ids.crmVersion!);
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
