import { expect } from 'chai';
import {
  type ContactChange,
  type CrmsyncError,
  type Fetched,
  type Photo,
  photoHash,
  type WriteOperation,
  type WriteOutcome,
} from '../../../core/index.js';
import type { GraphServer } from '../../../emulators/graph/index.js';
import { docPayload } from '../../../emulators/graph/test/support/graph-session.js';
import { fromGraphContact } from '../src/contact-mapping.js';
import type { OutlookGraphConnector } from '../src/outlook-graph-connector.js';
import {
  all,
  anna,
  ben,
  connectorFor,
  crmContact,
  crmIdCounts,
  emulator,
  recordingLogger,
} from './support/outlook-session.js';

const upserts = (items: Fetched<ContactChange>[]) =>
  items.flatMap((item) => (item.ok && item.value.type === 'upserted' ? [item.value.contact] : []));
const checkpoint = (items: Fetched<ContactChange>[]) =>
  items.flatMap((item) => (item.ok && item.value.type === 'checkpoint' ? [item.value.cursor] : [])).at(-1)!;
const okOutcomes = (outcomes: WriteOutcome[]) => outcomes.filter((outcome) => outcome.ok);

describe('The Outlook connector against the Graph emulator', () => {
  let server: GraphServer;
  let store: OutlookGraphConnector;
  const opened: OutlookGraphConnector[] = [];
  const open = (...args: Parameters<typeof connectorFor> extends [unknown, ...infer R] ? R : never) => {
    const connector = connectorFor(server, ...args);
    opened.push(connector);
    return connector;
  };

  beforeEach(async () => {
    server = await emulator();
    store = open();
  });
  afterEach(async () => {
    for (const connector of opened.splice(0)) connector.close();
    await server.close();
  });

  it('reads the documentation’s example contact into the model, field by field', () => {
    const contact = fromGraphContact(docPayload('contact-get.response.json'));
    expect(contact).to.deep.include({
      givenName: 'Garth',
      surname: 'Fort',
      displayName: 'Garth Fort',
      nickname: 'Garth',
      company: 'Contoso, Inc.',
      department: 'Sales & Marketing',
      jobTitle: 'Web Marketing Manager',
      birthday: '1974-07-22',
      website: 'https://www.contoso.com',
    });
    expect(contact.emails).to.deep.equal([
      { address: 'garth@a830edad9050849NDA1.onmicrosoft.com', type: 'work' },
    ]);
    expect(contact.phones).to.deep.equal([{ number: '+1 918 555 0101', type: 'business' }]);
    expect(contact.addresses).to.deep.equal([
      {
        type: 'business',
        street: '10 Contoso Way',
        city: 'Redmond',
        region: 'WA',
        country: 'USA',
        postalCode: '98075',
      },
    ]);
    expect(contact.ids).to.deep.equal({
      groupwareId: 'AAMkAGI2THk0AAA=',
      groupwareVersion: 'EQAAABYAAACd9nJ/tVysQos2hTfspaWRAAADTIa4',
    });
  });

  it('writes what fits into an Outlook contact, keeps fax numbers and e-mail types, and reports what does not fit', async () => {
    const logger = recordingLogger();
    store = open({ logger });
    const contact = crmContact('Voll', {
      emails: [
        { address: 'a@example.com', type: 'home' },
        { address: 'b@example.com', type: 'work', preferred: true },
        { address: 'c@example.com', type: 'other' },
        { address: 'd@example.com', type: 'work' },
      ],
      phones: [
        { number: '+49 30 1', type: 'business' },
        { number: '+49 30 2', type: 'business' },
        { number: '+49 30 3', type: 'business' },
        { number: '+49 30 9', type: 'businessFax' },
        { number: '+49 170 1', type: 'mobile', preferred: true },
      ],
      addresses: [
        {
          type: 'business',
          street: 'Hauptstr. 1',
          city: 'Berlin',
          region: 'BE',
          postalCode: '10115',
          country: 'DE',
        },
        { type: 'business', street: 'Nebenstr. 2', city: 'Potsdam' },
      ],
    });
    const [outcome] = await all(store.apply([{ kind: 'create', key: 'voll', contact }]));
    if (!outcome?.ok) expect.fail('the create failed');
    const read = (await store.getContact(outcome.id))!;
    expect(read.emails).to.deep.equal(contact.emails.slice(0, 3));
    expect(outcome.contact?.emails, 'the answer of the create').to.deep.equal(read.emails);
    expect(outcome.contact?.phones).to.have.deep.members(read.phones);
    expect(read.phones.map((phone) => `${phone.type} ${phone.number}`)).to.have.members([
      'business +49 30 1',
      'business +49 30 2',
      'mobile +49 170 1',
      'businessFax +49 30 9',
    ]);
    expect(read.phones.filter((phone) => phone.preferred).map((phone) => phone.number)).to.deep.equal([
      '+49 170 1',
    ]);
    expect(read.addresses).to.deep.equal([contact.addresses[0]]);
    expect(logger.warnings.map((warning) => warning.obj)).to.deep.include({
      record: contact.ids.crmId,
      fields: ['emails[3]', 'phones[2]', 'addresses[1]'],
    });
  });

  it('finds a contact again by the CRM id stamped on it, and none for an unknown one', async () => {
    const contact = crmContact('Stempel');
    await all(store.apply([{ kind: 'create', key: 'stempel', contact }]));
    expect((await store.findByCrmId(contact.ids.crmId!))?.surname).to.equal('Stempel');
    expect(await store.findByCrmId('AP-unbekannt')).to.equal(undefined);
  });

  it('creates its contact folder when missing and uses the same folder from then on', async () => {
    await store.health();
    const other = open();
    await other.health();
    const folders = server.store.mailbox(anna).folders;
    expect([...folders.values()].map((folder) => folder.displayName)).to.deep.equal(['CRM']);
    expect(store.accountKey).to.equal(`${anna}/CRM`);
  });

  it('keeps two mailboxes apart: contacts, lookups and change feeds of one never show in the other', async () => {
    const bens = open({ mailbox: ben });
    const contact = crmContact('NurAnna');
    await all(store.apply([{ kind: 'create', key: 'nur-anna', contact }]));
    expect(await bens.findByCrmId(contact.ids.crmId!)).to.equal(undefined);
    expect(upserts(await all(bens.changesSince()))).to.deep.equal([]);
    expect(upserts(await all(store.changesSince())).map((c) => c.surname)).to.deep.equal(['NurAnna']);
  });

  it('after a throttling storm and injected faults holds every contact exactly once, each change applied', async () => {
    const contacts = Array.from({ length: 60 }, (_, i) => crmContact(`Sturm${i}`));
    server.faults.startStorm({ share: 0.35, fault: { kind: 'status', status: 429, retryAfter: '0.01' } });
    server.faults.enqueue({
      fault: { kind: 'status', status: 503 },
      times: 3,
      match: /POST \/v1\.0\/users\/.+\/contacts$/,
    });
    server.faults.enqueue({ fault: { kind: 'lose-answer' }, match: /^POST \/v1\.0\/\$batch/ });
    server.faults.enqueue({ fault: { kind: 'reset' }, match: /^POST \/v1\.0\/\$batch/ });
    const created = await all(
      store.apply(
        contacts.map((contact, i): WriteOperation => ({ kind: 'create', key: `sturm-${i}`, contact })),
      ),
    );
    expect(okOutcomes(created)).to.have.length(60);
    const updates = created.map(
      (outcome, i): WriteOperation => ({
        kind: 'update',
        key: `sturm-update-${i}`,
        id: outcome.ok ? outcome.id : '',
        expectedVersion: outcome.ok ? outcome.version! : '',
        contact: { ...contacts[i]!, jobTitle: 'Nach dem Sturm' },
      }),
    );
    const updated = await all(store.apply(updates));
    server.faults.stopStorm();
    expect(okOutcomes(updated)).to.have.length(60);
    expect(server.stats.throttled).to.be.greaterThan(20);
    expect(server.faults.answered).to.deep.include({ reset: 1, 'lose-answer': 1 });
    const counts = crmIdCounts(server);
    for (const contact of contacts) expect(counts.get(contact.ids.crmId!), contact.surname).to.equal(1);
    const stored = [...server.store.mailbox(anna).contacts.values()];
    expect(stored.every((contact) => contact.data.jobTitle === 'Nach dem Sturm')).to.equal(true);
  });

  it('reports a write as failed and retryable when Outlook keeps throttling it, and never as done', async () => {
    store = open({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, clientRetryDelaySeconds: 0 } });
    await store.health();
    server.faults.startStorm({ share: 1, fault: { kind: 'status', status: 429, retryAfter: '0' } });
    const [outcome] = await all(
      store.apply([{ kind: 'create', key: 'immer-429', contact: crmContact('Gedrosselt') }]),
    );
    server.faults.stopStorm();
    expect(outcome).to.deep.include({ ok: false, retryable: true });
    expect(outcome!.ok ? '' : outcome!.problem.code).to.equal('CRMSYNC_ERR_OUTLOOK_THROTTLED');
  });

  it('answers an expired delta cursor with CRMSYNC_ERR_CURSOR_EXPIRED, and a full resync then sees each contact once', async () => {
    const contacts = Array.from({ length: 5 }, (_, i) => crmContact(`Resync${i}`));
    await all(
      store.apply(contacts.map((contact, i): WriteOperation => ({ kind: 'create', key: `r${i}`, contact }))),
    );
    const cursor = checkpoint(await all(store.changesSince()));
    server.deltaTokens.expireAll();
    const error = (await all(store.changesSince(cursor)).catch((e: CrmsyncError) => e)) as CrmsyncError;
    expect(error.code).to.equal('CRMSYNC_ERR_CURSOR_EXPIRED');
    const again = upserts(await all(store.changesSince()));
    expect(again.map((contact) => contact.ids.crmId).sort()).to.deep.equal(
      contacts.map((c) => c.ids.crmId).sort(),
    );
  });

  it('refuses a cursor that is not a delta link of its folder', async () => {
    const error = (await all(
      store.changesSince('https://example.com/v1.0/users/x/contacts/delta?$deltatoken=1'),
    ).catch((e: CrmsyncError) => e)) as CrmsyncError;
    expect(error.code).to.equal('CRMSYNC_ERR_CURSOR_INVALID');
  });

  it('carries photos both ways: a created contact’s photo lands in Outlook, one set in Outlook shows in the change feed', async () => {
    const bytes = new Uint8Array(Buffer.from('ffd8ffe000104a464946', 'hex'));
    const withPhoto = crmContact('MitFoto', { photo: { mediaType: 'image/jpeg', bytes } });
    const [outcome] = await all(store.apply([{ kind: 'create', key: 'foto', contact: withPhoto }]));
    const stored = server.store.mailbox(anna).contact(outcome!.ok ? outcome!.id : '');
    expect((await store.findByCrmId(withPhoto.ids.crmId!))?.photo?.hash).to.equal(photoHash(bytes));
    expect(stored.photo?.mediaType).to.equal('image/jpeg');
    expect(Buffer.from(stored.photo!.bytes).equals(Buffer.from(bytes))).to.equal(true);
    expect(outcome!.ok && outcome!.version).to.equal(stored.changeKey);

    const cursor = checkpoint(await all(store.changesSince()));
    const other = new Uint8Array(Buffer.from('89504e470d0a1a0a', 'hex'));
    server.store.mailbox(anna).setPhoto(stored.id, { bytes: Buffer.from(other), mediaType: 'image/png' });
    const changed = upserts(await all(store.changesSince(cursor)));
    expect(changed.map((contact) => contact.photo?.hash)).to.deep.equal([photoHash(other)]);
  });

  it('stores a photo whose answer was lost once, reports it stored with the version that followed, for a new contact and for a photo changed or removed later', async () => {
    const batchLine = /^POST \/v1\.0\/\$batch/;
    const first = new Uint8Array(Buffer.from('ffd8ffe000104a4649460001', 'hex'));
    // The contact is created in the first batch; its photo goes in the second, whose answer is lost.
    server.faults.enqueue({ fault: { kind: 'lose-answer' }, match: batchLine, after: 1 });
    const withPhoto = crmContact('FotoVerloren', { photo: { mediaType: 'image/jpeg', bytes: first } });
    const [created] = await all(store.apply([{ kind: 'create', key: 'foto-verloren', contact: withPhoto }]));
    expect(server.faults.answered).to.deep.include({ 'lose-answer': 1 });
    expect(created).to.deep.include({ ok: true });
    const id = created!.ok ? created!.id : '';
    const mailbox = server.store.mailbox(anna);
    expect(Buffer.from(mailbox.contact(id).photo!.bytes).equals(Buffer.from(first))).to.equal(true);
    expect(created!.ok && created!.version, 'the version after the photo').to.equal(
      mailbox.contact(id).changeKey,
    );

    /** Sets (or removes) the photo while the answer to its batch is lost. */
    const photoWithLostAnswer = async (key: string, photo: Photo | undefined) => {
      server.faults.enqueue({ fault: { kind: 'lose-answer' }, match: batchLine });
      const expectedVersion = mailbox.contact(id).changeKey;
      const [outcome] = await all(store.apply([{ kind: 'photo', key, id, expectedVersion, photo }]));
      return outcome;
    };
    const second = new Uint8Array(Buffer.from('89504e470d0a1a0a0000', 'hex'));
    const changed = await photoWithLostAnswer('foto-neu', { mediaType: 'image/png', bytes: second });
    expect(changed).to.deep.include({ ok: true, version: mailbox.contact(id).changeKey });
    expect(Buffer.from(mailbox.contact(id).photo!.bytes).equals(Buffer.from(second))).to.equal(true);

    const removed = await photoWithLostAnswer('foto-weg', undefined);
    expect(removed).to.deep.include({ ok: true, version: mailbox.contact(id).changeKey });
    expect(mailbox.contact(id).photo).to.equal(undefined);
    expect(server.faults.answered).to.deep.include({ 'lose-answer': 3 });
  });

  it('reads a photo Outlook refuses with 429 for more rounds than a failing read may take, since a refused read never ran', async () => {
    const bytes = new Uint8Array(Buffer.from('ffd8ffe000104a464946', 'hex'));
    const withPhoto = crmContact('Gedrosselt', { photo: { mediaType: 'image/jpeg', bytes } });
    await all(store.apply([{ kind: 'create', key: 'foto-429', contact: withPhoto }]));
    const photoRead = /^GET .*\/photo\/\$value$/;
    server.faults.enqueue({
      fault: { kind: 'status', status: 429, retryAfter: '0' },
      times: 12,
      match: photoRead,
    });
    const read = upserts(await all(store.changesSince()));
    expect(read.map((contact) => contact.photo?.hash)).to.deep.equal([photoHash(bytes)]);
    expect(server.faults.answered.status).to.equal(12);

    server.faults.enqueue({
      fault: { kind: 'status', status: 503, retryAfter: '0' },
      times: 12,
      match: photoRead,
    });
    const error = (await all(store.changesSince()).catch((e: CrmsyncError) => e)) as CrmsyncError;
    expect(error.code, 'a read Outlook cannot serve still fails, never reads as no photo').to.equal(
      'CRMSYNC_ERR_OUTLOOK_HTTP',
    );
  });

  it('still reports a photo write refused as stale when a person changed the photo in between', async () => {
    const [created] = await all(
      store.apply([{ kind: 'create', key: 'foto-person', contact: crmContact('Person') }]),
    );
    const id = created!.ok ? created!.id : '';
    const mailbox = server.store.mailbox(anna);
    const before = mailbox.contact(id).changeKey;
    const theirs = Buffer.from('ffd8ffe0aaaa', 'hex');
    mailbox.setPhoto(id, { bytes: theirs, mediaType: 'image/jpeg' });
    const [outcome] = await all(
      store.apply([
        {
          kind: 'photo',
          key: 'foto-alt',
          id,
          expectedVersion: before,
          photo: { mediaType: 'image/png', bytes: new Uint8Array(Buffer.from('89504e47', 'hex')) },
        },
      ]),
    );
    expect(outcome!.ok ? '' : outcome!.problem.code).to.equal('CRMSYNC_ERR_STALE_VERSION');
    expect(Buffer.from(mailbox.contact(id).photo!.bytes).equals(theirs), 'the person’s photo stays').to.equal(
      true,
    );
  });

  it('lists its contacts with their photos, and names the type of a photo given as bytes of no type', async () => {
    const png = new Uint8Array(Buffer.from('89504e470d0a1a0a0000', 'hex'));
    await all(
      store.apply([
        {
          kind: 'create',
          key: 'mit',
          contact: crmContact('MitBild', { photo: { mediaType: 'application/octet-stream', bytes: png } }),
        },
        { kind: 'create', key: 'ohne', contact: crmContact('OhneBild') },
      ]),
    );
    const listed = (await all(store.listContacts())).flatMap((item) => (item.ok ? [item.value] : []));
    const photos = Object.fromEntries(
      listed.map((contact) => [contact.surname, contact.photo?.mediaType ?? 'none']),
    );
    expect(photos).to.deep.equal({ MitBild: 'image/png', OhneBild: 'none' });
    expect(listed.find((contact) => contact.surname === 'MitBild')?.photo?.hash).to.equal(photoHash(png));
  });

  it('syncs with no change in one request, and with one change to a contact without photo in two', async () => {
    await all(store.apply([{ kind: 'create', key: 'eins', contact: crmContact('Eins') }]));
    let cursor = checkpoint(await all(store.changesSince()));
    server.resetStats();
    cursor = checkpoint(await all(store.changesSince(cursor)));
    expect(server.stats.requests).to.equal(1);
    const [stored] = [...server.store.mailbox(anna).contacts.values()];
    server.store.mailbox(anna).updateContact(stored!.id, { jobTitle: 'Geändert' }, []);
    server.resetStats();
    const changed = upserts(await all(store.changesSince(cursor)));
    expect(changed.map((contact) => contact.jobTitle)).to.deep.equal(['Geändert']);
    expect(server.stats.requests, 'the delta round and the contact').to.equal(2);
  });

  it('reads photos only of the contacts Outlook marks as having one: a listing costs a request per page and per photo', async () => {
    const photo = { mediaType: 'image/png', bytes: new Uint8Array(Buffer.from('89504e470d0a1a0a', 'hex')) };
    await all(
      store.apply(
        ['Ohne1', 'Ohne2', 'Mit', 'Ohne3'].map(
          (surname, i): WriteOperation => ({
            kind: 'create',
            key: `seite-${i}`,
            contact: crmContact(surname, surname === 'Mit' ? { photo } : {}),
          }),
        ),
      ),
    );
    server.resetStats();
    const listed = (await all(store.listContacts())).flatMap((item) => (item.ok ? [item.value] : []));
    expect(listed.filter((contact) => contact.photo).map((contact) => contact.surname)).to.deep.equal([
      'Mit',
    ]);
    expect(server.stats.requests, 'one page of contacts and one photo').to.equal(2);
  });

  it('fails a change read that gets no answer with its own error naming the mailbox, never the transport’s', async () => {
    server.faults.enqueue({ fault: { kind: 'reset' }, times: 10, match: /contacts\/delta/ });
    const error = (await all(store.changesSince()).catch((e: CrmsyncError) => e)) as CrmsyncError;
    expect(error.code).to.equal('CRMSYNC_ERR_OUTLOOK_UNREACHABLE');
    expect(error.location.endpoint).to.equal(`outlook-graph ${anna}/CRM`);
  });

  it('keeps at most four requests in flight per mailbox, so Outlook never refuses it for concurrency', async () => {
    const [outcome] = await all(
      store.apply([{ kind: 'create', key: 'parallel', contact: crmContact('Parallel') }]),
    );
    server.faults.enqueue({ fault: { kind: 'delay', ms: 50 }, times: 20 });
    server.resetStats();
    const reads = await Promise.all(
      Array.from({ length: 10 }, () => store.getContact(outcome!.ok ? outcome!.id : '')),
    );
    expect(reads.every((contact) => contact?.surname === 'Parallel')).to.equal(true);
    expect(server.stats.throttled).to.equal(0);
  });

  it('reports itself unhealthy with the reason when the secret is wrong or Graph cannot be reached', async () => {
    const wrongSecret = await open({ clientSecret: 'falsch' }).health();
    expect(wrongSecret.ok).to.equal(false);
    expect(wrongSecret.detail).to.match(/AADSTS7000215/);
    const unreachable = await open({ graphBaseUrl: 'https://127.0.0.1:9/v1.0', timeoutMs: 2000 }).health();
    expect(unreachable.ok).to.equal(false);
    expect(unreachable.detail).to.match(/not reachable/);
  });
});
