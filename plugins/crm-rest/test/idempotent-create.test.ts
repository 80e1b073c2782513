import { expect } from 'chai';
import type { CreateOperation } from '../../../core/index.js';
import type { CrmServer } from '../../../emulators/crm/index.js';
import { CrmRestConnector } from '../src/index.js';
import { collect } from './support/connector-suite.js';
import type { CrmHarness } from './support/harness.js';
import { sampleContact } from './support/harness.js';
import { referenceProfileFile } from './support/profiles.js';
import { referenceHarness } from './support/reference-harness.js';
import { applyOne, newKey } from './support/writes.js';

describe('crm-rest creates under an idempotency key', () => {
  let harness: CrmHarness & { server: CrmServer };
  const createOf = (surname: string): CreateOperation => ({
    kind: 'create',
    key: newKey(),
    contact: { ...sampleContact(harness.partnerIds[0]), surname },
  });
  const named = (surname: string) =>
    harness.server.store.searchContacts({ name: surname }, 0, 10).docs.length;

  before(async () => {
    harness = await referenceHarness();
  });
  after(async () => harness?.close());

  it('answers a create resumed with the same key with the first result, and the CRM holds one contact', async () => {
    const operation = createOf('Wiederaufnahme');
    const first = await applyOne(harness.connector, operation);
    expect(first.ok).to.equal(true);
    const resumed = await applyOne(harness.connector, operation);
    expect(resumed).to.deep.include({ ok: true, key: operation.key, kind: 'create', replayed: true });
    expect(resumed.ok && resumed.id).to.equal(first.ok && first.id);
    expect(named('Wiederaufnahme')).to.equal(1);
  });

  it('sends a create again when the answer was lost on the way, and the CRM still holds one contact', async () => {
    let dropped = 0;
    const connector = new CrmRestConnector({
      profile: harness.connector.profile,
      profileFile: referenceProfileFile,
      sleep: async () => {},
      // The CRM carries the create out, then the connection breaks before the answer arrives.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method === 'POST' && dropped === 0) {
          dropped += 1;
          await response.body?.cancel();
          throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
        }
        return response;
      },
    });
    const outcome = await applyOne(connector, createOf('Verbindungsabbruch'));
    expect(dropped).to.equal(1);
    expect(outcome).to.deep.include({ ok: true, replayed: true });
    expect(named('Verbindungsabbruch')).to.equal(1);
  });

  it('finds the contact an earlier create made by its key, and nothing for a key never used', async () => {
    const operation = createOf('Nachgefragt');
    const created = await applyOne(harness.connector, operation);
    const found = await harness.connector.findCreated(operation);
    expect(found?.ids.crmId).to.equal(created.ok && created.id);
    expect(found?.surname).to.equal('Nachgefragt');
    expect(await harness.connector.findCreated(createOf('Nie angelegt'))).to.equal(undefined);
  });

  it('answers undefined from findCreated when the profile has no endpoint to ask', async () => {
    const operation = createOf('Ohne Nachfrage');
    await applyOne(harness.connector, operation);
    const blind = harness.connectorWith((profile) => {
      delete profile.endpoints.findCreated;
    });
    expect(await blind.findCreated(operation)).to.equal(undefined);
  });

  it('reports a key reused for another contact as refused, naming the header, and creates nothing', async () => {
    const operation = createOf('Erstanlage');
    await applyOne(harness.connector, operation);
    const before = harness.countContacts();
    const reused = await applyOne(harness.connector, {
      ...operation,
      contact: { ...operation.contact, surname: 'Andere' },
    });
    expect(reused.ok).to.equal(false);
    expect(!reused.ok && reused.problem.code).to.equal('CRMSYNC_ERR_CRM_REJECTED');
    expect(!reused.ok && reused.problem.location.field).to.equal('Idempotency-Key');
    expect(harness.countContacts()).to.equal(before);
  });

  it('writes the photo a created contact carries, and its outcome has the version after the photo', async () => {
    const png = harness.server.store.getPhoto('AP-000001')!;
    const operation: CreateOperation = {
      ...createOf('Mit Bild'),
      contact: { ...createOf('Mit Bild').contact, photo: { mediaType: png.mediaType, bytes: png.bytes } },
    };
    const outcomes = await collect(harness.connector.apply([operation]));
    const [outcome] = outcomes;
    expect(outcome?.ok).to.equal(true);
    const id = outcome!.ok ? outcome!.id : '';
    expect(Buffer.from(harness.server.store.getPhoto(id)!.bytes).equals(Buffer.from(png.bytes))).to.equal(
      true,
    );
    expect(outcome!.ok && outcome!.version).to.equal(String(harness.server.store.getContact(id)!.version));
  });
});
