import { expect } from 'chai';
import {
  type ContactChange,
  type Fetched,
  type KeyedContact,
  type Photo,
  toE164,
} from '../../../../core/index.js';
import { solidGreyJpeg, solidPng } from '../../../../emulators/crm/seed/photos.js';
import { collect, rejection } from '../../../../test/support/async-items.js';
import type { CrmHarness } from './harness.js';
import { sampleContact } from './harness.js';
import { create, remove, setPhoto, update } from './writes.js';

export { collect, rejection };

function values<T>(items: Fetched<T>[]): T[] {
  return items.filter((item): item is { ok: true; value: T } => item.ok).map((item) => item.value);
}

async function latestCursor(harness: CrmHarness): Promise<string> {
  let cursor = '';
  for await (const item of harness.connector.changesSince()) {
    if (item.ok && item.value.type === 'checkpoint') cursor = item.value.cursor;
  }
  return cursor;
}

/**
 * The connector's behaviour, written once against the CrmConnector port and run against every
 * CRM a test can start: that the same tests pass through different profiles is the proof that
 * nothing about one CRM is written into the connector.
 */
export function connectorSuite(name: string, start: () => Promise<CrmHarness>): void {
  describe(`crm-rest connector against ${name}`, () => {
    let crm: CrmHarness;
    before(async () => {
      crm = await start();
    });
    after(async () => {
      await crm?.close();
    });

    it('lists every contact across all pages, each once', async () => {
      const listed = await collect(crm.connector.searchContacts());
      const contacts = values(listed);
      expect(listed.every((item) => item.ok)).to.equal(true);
      expect(contacts).to.have.length(crm.countContacts());
      expect(new Set(contacts.map((contact) => contact.ids.crmId)).size).to.equal(contacts.length);
      const someone = contacts[0]!;
      expect(someone.surname).to.be.a('string').and.not.equal('');
      expect(someone.ids.crmVersion).to.be.a('string');
      expect(someone.emails[0]!.address).to.contain('@');
      expect(someone.phones[0]!.e164).to.match(/^\+49\d+$/);
      const partners = new Set(
        values(await collect(crm.connector.searchPartners({}))).map((partner) => partner.id),
      );
      expect(partners.size).to.be.greaterThan(1);
      const orphans = contacts.filter((contact) => !partners.has(contact.partnerId!));
      expect(orphans.map((contact) => contact.ids.crmId)).to.deep.equal([]);
    });

    it('creates a contact and reads it back with every mapped field', async () => {
      const sent = sampleContact(crm.partnerIds[0]);
      const created = await create(crm.connector, sent);
      expect(created.ids.crmId).to.be.a('string');
      const read = await crm.connector.getContact(created.ids.crmId!);
      expect(read).to.deep.include({
        salutation: 'Frau',
        title: 'Dr.',
        givenName: 'Jördis',
        surname: sent.surname,
        partnerId: crm.partnerIds[0],
        jobTitle: 'Leiterin Einkauf',
        department: 'Einkauf',
        birthday: '1979-02-28',
        notes: 'Neu angelegt über crmsync.',
        groupwareSync: false,
      });
      expect(read!.surname).to.match(/^Weiß-Groß/);
      expect(read!.company).to.be.a('string').and.not.equal('');
      expect(read!.emails).to.deep.equal(sent.emails);
      expect(read!.phones).to.deep.equal(
        sent.phones.map((phone) => ({ ...phone, e164: toE164(phone.number) })),
      );
      expect(read!.addresses).to.deep.equal(sent.addresses);
    });

    it('answers undefined for a contact id the CRM does not know', async () => {
      expect(await crm.connector.getContact('999999')).to.equal(undefined);
    });

    it('finds contacts by name whatever the case and umlaut spelling', async () => {
      const created = await create(crm.connector, {
        ...sampleContact(crm.partnerIds[0]),
        surname: 'Größlmüller',
      });
      for (const spelling of ['größlmüller', 'GROESSLMUELLER', 'groesslmue']) {
        const found = values(await collect(crm.connector.searchContacts({ name: spelling })));
        expect(
          found.map((contact) => contact.ids.crmId),
          spelling,
        ).to.include(created.ids.crmId);
      }
    });

    it('narrows a search by partner, city, e-mail, phone and sync flag', async () => {
      const created = await create(crm.connector, {
        ...sampleContact(crm.partnerIds[1]),
        surname: 'Suchbär',
      });
      const email = created.emails[0]!.address.toUpperCase();
      const mobile = created.phones.find((phone) => phone.type === 'mobile')!.e164!;
      const found = values(
        await collect(
          crm.connector.searchContacts({
            partnerId: crm.partnerIds[1],
            city: 'GIESSEN',
            email,
            phone: mobile,
            groupwareSync: false,
          }),
        ),
      );
      expect(found.map((contact) => contact.ids.crmId)).to.deep.equal([created.ids.crmId]);
      const synced = values(await collect(crm.connector.searchContacts({ email, groupwareSync: true })));
      expect(synced).to.deep.equal([]);
      const byPartner = values(await collect(crm.connector.searchContacts({ partnerId: crm.partnerIds[1] })));
      expect(byPartner.length).to.be.greaterThan(1);
      expect(byPartner.every((contact) => contact.partnerId === crm.partnerIds[1])).to.equal(true);
    });

    it('updates a contact and refuses an update based on a stale version', async () => {
      const created = await create(crm.connector, sampleContact(crm.partnerIds[0]));
      const updated = await update(crm.connector, {
        ...created,
        jobTitle: 'Prokuristin',
        salutation: 'Herr',
      });
      expect(updated.jobTitle).to.equal('Prokuristin');
      expect(updated.salutation).to.equal('Herr');
      expect(updated.ids.crmVersion).to.not.equal(created.ids.crmVersion);
      const error = await rejection(update(crm.connector, { ...created, jobTitle: 'Aushilfe' }));
      expect(error.code).to.equal('CRMSYNC_ERR_STALE_VERSION');
      expect(error.location.recordId).to.equal(created.ids.crmId);
      expect(error.location.endpoint).to.match(/^PUT /);
      expect((await crm.connector.getContact(created.ids.crmId!))!.jobTitle).to.equal('Prokuristin');
    });

    it('reads the changes since a cursor, deletions included, ending with the next cursor', async () => {
      const keep = await create(crm.connector, sampleContact(crm.partnerIds[0]));
      const drop = await create(crm.connector, sampleContact(crm.partnerIds[0]));
      const cursor = await latestCursor(crm);
      await update(crm.connector, { ...keep, department: 'Vertrieb' });
      await remove(crm.connector, drop.ids.crmId!, drop.ids.crmVersion!);
      const changes = values(await collect(crm.connector.changesSince(cursor))) as ContactChange[];
      const upserted = changes.filter((change) => change.type === 'upserted');
      expect(upserted.map((change) => change.type === 'upserted' && change.contact.department)).to.deep.equal(
        ['Vertrieb'],
      );
      expect(changes.filter((change) => change.type === 'deleted')).to.deep.equal([
        { type: 'deleted', id: drop.ids.crmId },
      ]);
      const last = changes.at(-1)!;
      expect(last.type).to.equal('checkpoint');
      expect(await crm.connector.getContact(drop.ids.crmId!)).to.equal(undefined);
      const after = values(
        await collect(crm.connector.changesSince(last.type === 'checkpoint' ? last.cursor : '')),
      );
      expect(after.filter((change) => change.type !== 'checkpoint')).to.deep.equal([]);
    });

    it('reads the whole change feed from the start in several pages', async () => {
      const changes = values(await collect(crm.connector.changesSince()));
      const ids = new Set(
        changes.flatMap((change) => (change.type === 'upserted' ? [change.contact.ids.crmId] : [])),
      );
      expect(ids.size).to.be.at.least(crm.countContacts());
      expect(changes.filter((change) => change.type === 'checkpoint').length).to.be.greaterThan(1);
    });

    it('looks contacts up in bulk by e-mail address and by phone number in any format, naming the key that found each', async () => {
      const first = await create(crm.connector, sampleContact(crm.partnerIds[0]));
      const second = await create(crm.connector, sampleContact(crm.partnerIds[1]));
      const pairs = async (found: AsyncIterable<Fetched<KeyedContact>>) =>
        values(await collect(found))
          .map(({ key, contact }) => [key, contact.ids.crmId])
          .sort();
      const shouted = first.emails[0]!.address.toUpperCase();
      const byEmail = await pairs(
        crm.connector.findByEmails([shouted, second.emails[0]!.address, 'niemand@example.org']),
      );
      expect(byEmail).to.deep.equal(
        [
          [shouted, first.ids.crmId],
          [second.emails[0]!.address, second.ids.crmId],
        ].sort(),
      );
      const mobile = second.phones.find((phone) => phone.type === 'mobile')!;
      const national = `0${mobile.e164!.slice(3)}`;
      const byPhone = await pairs(crm.connector.findByPhones([national, '+49 30 0000000']));
      expect(byPhone).to.deep.equal([[national, second.ids.crmId]]);
      expect(await collect(crm.connector.findByEmails([]))).to.deep.equal([]);
    });

    it('writes, reads and removes photos with their bytes intact, each write based on the version before it', async () => {
      const created = await create(crm.connector, sampleContact(crm.partnerIds[0]));
      const id = created.ids.crmId!;
      expect(await crm.connector.getPhoto(id)).to.equal(undefined);
      const jpeg: Photo = { mediaType: 'image/jpeg', bytes: solidGreyJpeg(90) };
      const withJpeg = await setPhoto(crm.connector, id, jpeg, created.ids.crmVersion!);
      const read = await crm.connector.getPhoto(id);
      expect(read!.mediaType).to.equal('image/jpeg');
      expect(Buffer.from(read!.bytes!).equals(Buffer.from(jpeg.bytes!))).to.equal(true);
      expect(read!.hash).to.match(/^[0-9a-f]{64}$/);
      const png = { mediaType: 'image/png', bytes: solidPng([200, 30, 30]) };
      const withPng = await setPhoto(crm.connector, id, png, withJpeg.ids.crmVersion!);
      expect((await crm.connector.getPhoto(id))!.mediaType).to.equal('image/png');
      await setPhoto(crm.connector, id, undefined, withPng.ids.crmVersion!);
      expect(await crm.connector.getPhoto(id)).to.equal(undefined);
    });

    it('reports a rejected write with the field the CRM names', async () => {
      const error = await rejection(create(crm.connector, sampleContact('4711999')));
      expect(error.code).to.equal('CRMSYNC_ERR_CRM_REJECTED');
      expect(error.location.field).to.match(/partnerId|orgId/);
      expect(error.location.endpoint).to.match(/^POST /);
    });

    it('refuses to write a value the profile has no CRM code for, before sending anything', async () => {
      const before = crm.requests().length;
      const error = await rejection(
        create(crm.connector, { ...sampleContact(crm.partnerIds[0]), salutation: 'Exzellenz' }),
      );
      expect(error.code).to.equal('CRMSYNC_ERR_CRM_RECORD');
      expect(error.location.field).to.equal('salutation');
      expect(error.message).to.contain('Exzellenz');
      expect(crm.requests().length).to.equal(before);
    });

    it('reports malformed records one by one and streams the rest', async () => {
      const brokenIds = crm.insertMalformed();
      const afterwards = await create(crm.connector, {
        ...sampleContact(crm.partnerIds[0]),
        surname: 'Nachzügler',
      });
      const listed = await collect(crm.connector.searchContacts());
      const problems = listed.flatMap((item) => (item.ok ? [] : [item.problem]));
      expect(problems.map((problem) => problem.location.recordId)).to.deep.equal(brokenIds);
      expect(problems.map((problem) => problem.location.field)).to.deep.equal([
        'surname',
        'emails[0]',
        'phones[0]',
        'surname',
      ]);
      for (const problem of problems) {
        expect(problem.code).to.equal('CRMSYNC_ERR_CRM_RECORD');
        expect(problem.location.endpoint).to.match(/^GET /);
        expect(problem.location.pointer).to.be.a('string');
      }
      expect(problems[1]!.message).to.contain('kein-at-zeichen');
      expect(values(listed).map((contact) => contact.ids.crmId)).to.include(afterwards.ids.crmId);
      expect(values(listed)).to.have.length(crm.countContacts() - brokenIds.length);
      const changes = await collect(crm.connector.changesSince());
      expect(changes.filter((item) => !item.ok)).to.have.length(brokenIds.length);
    });

    it('waits as long as Retry-After says when throttled, then carries on', async () => {
      crm.sleeps.length = 0;
      crm.injectFault(429, '3', 2);
      const listed = await collect(crm.connector.searchContacts({ name: 'Weiß-Groß' }));
      expect(listed.length).to.be.greaterThan(0);
      expect(crm.sleeps).to.deep.equal([3000, 3000]);
    });

    it('understands Retry-After given as an HTTP date', async () => {
      crm.sleeps.length = 0;
      crm.injectFault(503, new Date(Date.now() + 30_000).toUTCString(), 1);
      await crm.connector.getContact('999999');
      expect(crm.sleeps).to.have.length(1);
      expect(crm.sleeps[0]).to.be.within(20_000, 30_000);
    });

    it('backs off on server errors without Retry-After and gives up after the configured attempts', async () => {
      crm.sleeps.length = 0;
      const patient = crm.connectorWith((profile) => {
        profile.retry = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 };
      });
      crm.injectFault(502, undefined, 3);
      const error = await rejection(patient.getContact('999999'));
      expect(error.code).to.equal('CRMSYNC_ERR_CRM_HTTP');
      expect(error.message).to.contain('HTTP 502 after 3 attempts');
      expect(crm.sleeps).to.have.length(2);
      expect(crm.sleeps[1]).to.be.greaterThan(0);
    });

    it('fails at once when Retry-After asks for longer than the profile allows', async () => {
      crm.sleeps.length = 0;
      const impatient = crm.connectorWith((profile) => {
        profile.retry = { maxRetryAfterMs: 5000 };
      });
      crm.injectFault(429, '3600', 1);
      const error = await rejection(impatient.getContact('999999'));
      expect(error.code).to.equal('CRMSYNC_ERR_CRM_THROTTLED');
      expect(error.message).to.contain('3600 s');
      expect(crm.sleeps).to.deep.equal([]);
    });

    it('never repeats a create without idempotency key that the CRM may have carried out, but repeats one it throttled', async () => {
      const keyless = crm.connectorWith((profile) => {
        delete profile.endpoints.createContact!.idempotencyHeader;
      });
      const before = crm.countContacts();
      crm.injectFault(500, undefined, 1);
      const error = await rejection(create(keyless, sampleContact(crm.partnerIds[0])));
      expect(error.code).to.equal('CRMSYNC_ERR_CRM_HTTP');
      expect(error.location.endpoint).to.match(/^POST /);
      crm.injectFault(429, '1', 1);
      const created = await create(keyless, sampleContact(crm.partnerIds[0]));
      expect(created.ids.crmId).to.be.a('string');
      expect(crm.countContacts()).to.equal(before + 1);
    });

    it('turns missing or wrong credentials into an auth error naming the endpoint', async () => {
      const anonymous = crm.connectorWith((profile) => {
        profile.auth = { type: 'none' };
      });
      const missing = await rejection(anonymous.getContact('1'));
      expect(missing.code).to.equal('CRMSYNC_ERR_CRM_AUTH');
      expect(missing.message).to.contain('HTTP 401');
      expect(missing.location.endpoint).to.match(/^GET /);
      const wrong = await rejection(crm.connectorWith(crm.wrongSecret).getContact('1'));
      expect(wrong.code).to.equal('CRMSYNC_ERR_CRM_AUTH');
      expect(wrong.message).to.contain('HTTP 403');
      const listing = crm.connectorWith(crm.wrongSecret).searchContacts();
      const streamError = await rejection(collect(listing));
      expect(streamError.code).to.equal('CRMSYNC_ERR_CRM_AUTH');
      expect((await crm.connectorWith(crm.wrongSecret).health()).ok).to.equal(false);
      expect((await crm.connector.health()).ok).to.equal(true);
    });

    it('searches business partners and reads one by id', async () => {
      const partners = values(await collect(crm.connector.searchPartners({})));
      expect(partners.map((partner) => partner.id)).to.include.members(crm.partnerIds);
      const partner = await crm.connector.getPartner(crm.partnerIds[0]);
      expect(partner!.name).to.be.a('string').and.not.equal('');
      expect(partner!.emailDomains[0]).to.match(/\.de$/);
      const byDomain = values(
        await collect(crm.connector.searchPartners({ domain: partner!.emailDomains[0] })),
      );
      expect(byDomain.map((found) => found.id)).to.deep.equal([partner!.id]);
      const byName = values(
        await collect(crm.connector.searchPartners({ name: partner!.name.toUpperCase().slice(0, 6) })),
      );
      expect(byName.map((found) => found.id)).to.include(partner!.id);
      expect(await crm.connector.getPartner('4711999')).to.equal(undefined);
    });
  });
}
