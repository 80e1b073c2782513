import { expect } from 'chai';
import {
  type Contact,
  type ContactChange,
  type ContactStore,
  type CreateOperation,
  type Fetched,
  type Photo,
  photoHash,
  scalarFields,
  type WriteOperation,
  type WriteOutcome,
} from '../../core/index.js';

/**
 * What a store under test offers the conformance suite. Every `ContactStore` (each CRM and
 * groupware connector) runs the suite, so the engine can rely on the same behaviour from all.
 */
export interface ConformanceSubject {
  store: ContactStore;
  /**
   * A contact this store accepts for a create, named with `surname`: on the CRM side with a
   * partner, on the groupware side stamped with a CRM id (unique per call).
   */
  newContact(surname: string): Contact;
  /** The photo the store holds for a contact, read the store's own way. */
  readPhoto?(id: string): Promise<Photo | undefined>;
  close(): Promise<void>;
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const list: T[] = [];
  for await (const item of items) list.push(item);
  return list;
}

async function applyOne(store: ContactStore, operation: WriteOperation): Promise<WriteOutcome> {
  const outcomes = await all(store.apply([operation]));
  expect(outcomes, `one outcome for ${operation.kind} ${operation.key}`).to.have.length(1);
  expect(outcomes[0]!.key).to.equal(operation.key);
  return outcomes[0]!;
}

function succeeded(outcome: WriteOutcome): Extract<WriteOutcome, { ok: true }> {
  if (!outcome.ok) expect.fail(`${outcome.kind} ${outcome.key} failed: ${outcome.problem.message}`);
  return outcome;
}

function failedWith(outcome: WriteOutcome, code: string): void {
  expect(outcome.ok, `${outcome.kind} ${outcome.key} should have failed with ${code}`).to.equal(false);
  if (!outcome.ok) expect(outcome.problem.code).to.equal(code);
}

/** The checkpoint after everything the store holds now. */
async function latestCursor(store: ContactStore): Promise<string | undefined> {
  let cursor: string | undefined;
  for await (const item of store.changesSince()) {
    if (item.ok && item.value.type === 'checkpoint') cursor = item.value.cursor;
  }
  return cursor;
}

function changesOf(items: Fetched<ContactChange>[]): ContactChange[] {
  return items.flatMap((item) => (item.ok ? [item.value] : []));
}

/** A value for every single-valued field, as a person would enter it; the name comes from the subject. */
const sampleValues: Partial<Contact> = {
  salutation: 'Frau',
  title: 'Dr.',
  givenName: 'Konstanze',
  middleName: 'Maria',
  suffix: 'jun.',
  nickname: 'Konni',
  displayName: 'Dr. Konstanze Maria Voll',
  company: 'Beispiel GmbH',
  department: 'Einkauf',
  jobTitle: 'Leiterin Einkauf',
  birthday: '1984-02-29',
  notes: 'Rückruf erbeten',
  website: 'https://beispiel.example/konstanze',
  partnerId: 'GP-0001',
  groupwareSync: true,
};

// A tiny valid PNG (1×1 pixel): some stores check what they are given.
const pixel = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);

/**
 * Registers the conformance tests for one store. `open` is called once; every test works on
 * contacts of its own, so the store may hold other data (demo contacts) as well.
 */
export function describeContactStoreConformance(
  title: string,
  open: () => Promise<ConformanceSubject>,
): void {
  describe(`${title} as a contact store (conformance)`, () => {
    let subject: ConformanceSubject;
    let store: ContactStore;
    const run = Date.now().toString(36);
    let serial = 0;
    const unique = (what: string) => `${what}-${run}-${++serial}`;
    const surnameFor = (what: string) => `Konform${what}${run}${++serial}`;

    async function created(surname = surnameFor('Anlage')): Promise<{ id: string; version: string }> {
      const outcome = succeeded(
        await applyOne(store, {
          kind: 'create',
          key: unique('create'),
          contact: subject.newContact(surname),
        }),
      );
      expect(outcome.version, 'a created contact has a version').to.be.a('string').and.not.equal('');
      return { id: outcome.id, version: outcome.version! };
    }

    before(async () => {
      subject = await open();
      store = subject.store;
    });
    after(async () => subject?.close());

    it('reports itself healthy while it can be reached', async () => {
      const health = await store.health();
      expect(health.ok, health.detail).to.equal(true);
    });

    it('names the place it syncs with by an account key, without credentials', () => {
      expect(store.accountKey).to.be.a('string').and.not.equal('');
      expect(store.accountKey, 'no credentials in an account key').not.to.match(/\/\/[^/@]+:[^/@]+@/);
    });

    it('declares which fields it can hold, surname among them', () => {
      const support = store.fieldSupport;
      expect(support.scalars).to.include('surname');
      for (const field of support.scalars) expect(scalarFields).to.include(field);
      expect(support.emails).to.be.at.least(1);
      for (const count of [...Object.values(support.phones), ...Object.values(support.addresses)])
        expect(count).to.be.at.least(1);
    });

    it('keeps every field it declares through a create and a read', async () => {
      const surname = surnameFor('Voll');
      const given = subject.newContact(surname);
      const full: Contact = { ...given };
      const held = new Set<string>(store.fieldSupport.scalars);
      for (const [field, value] of Object.entries(sampleValues))
        if (held.has(field) && full[field as keyof Contact] === undefined)
          (full as unknown as Record<string, unknown>)[field] = value;
      const outcome = succeeded(
        await applyOne(store, { kind: 'create', key: unique('create'), contact: full }),
      );
      const read = (await store.getContact(outcome.id))!;
      for (const field of store.fieldSupport.scalars)
        expect(read[field], `${field}, which the store declares it holds`).to.deep.equal(full[field]);
    });

    it('creates a contact, answers with its id and version, and reads it back', async () => {
      const surname = surnameFor('Neu');
      const { id, version } = await created(surname);
      const read = await store.getContact(id);
      expect(read?.surname).to.equal(surname);
      expect(read?.ids).to.satisfy(
        (ids: Contact['ids']) => ids.crmVersion === version || ids.groupwareVersion === version,
        'the version read back is the one the create answered',
      );
    });

    it('answers a create resumed with the same idempotency key with the first result, and holds one contact', async () => {
      const before = await latestCursor(store);
      const surname = surnameFor('Wiederholt');
      const operation: CreateOperation = {
        kind: 'create',
        key: unique('create'),
        contact: subject.newContact(surname),
      };
      const first = succeeded(await applyOne(store, operation));
      const again = succeeded(await applyOne(store, structuredClone(operation)));
      expect(again.id).to.equal(first.id);
      expect(again.replayed).to.equal(true);
      expect((await store.findCreated(operation))?.surname).to.equal(surname);
      const upserted = changesOf(await all(store.changesSince(before))).flatMap((change) =>
        change.type === 'upserted' && change.contact.surname === surname ? [change.contact] : [],
      );
      expect(
        new Set(upserted.map((contact) => contact.ids.crmId ?? contact.ids.groupwareId)),
      ).to.have.property('size', 1);
    });

    it('finds no earlier create for an operation that never ran', async () => {
      const operation: CreateOperation = {
        kind: 'create',
        key: unique('never'),
        contact: subject.newContact(surnameFor('Nie')),
      };
      expect(await store.findCreated(operation)).to.equal(undefined);
    });

    it('refuses an update that does not say which version it is based on, and changes nothing', async () => {
      const { id } = await created();
      const contact = (await store.getContact(id))!;
      const outcome = await applyOne(store, {
        kind: 'update',
        key: unique('update'),
        id,
        expectedVersion: undefined as unknown as string,
        contact: { ...contact, notes: 'ohne Version' },
      });
      failedWith(outcome, 'CRMSYNC_ERR_NO_VERSION');
      expect((await store.getContact(id))?.notes).to.not.equal('ohne Version');
    });

    it('updates a contact based on its current version and gives it a new version', async () => {
      const { id, version } = await created();
      const contact = (await store.getContact(id))!;
      const outcome = succeeded(
        await applyOne(store, {
          kind: 'update',
          key: unique('update'),
          id,
          expectedVersion: version,
          contact: { ...contact, jobTitle: 'Einkaufsleiterin' },
        }),
      );
      expect(outcome.version).to.be.a('string').and.not.equal(version);
      expect((await store.getContact(outcome.id))?.jobTitle).to.equal('Einkaufsleiterin');
    });

    it('refuses an update based on a stale version and keeps the newer data', async () => {
      const { id, version } = await created();
      const contact = (await store.getContact(id))!;
      const newer = succeeded(
        await applyOne(store, {
          kind: 'update',
          key: unique('update'),
          id,
          expectedVersion: version,
          contact: { ...contact, jobTitle: 'Neuer' },
        }),
      );
      const stale = await applyOne(store, {
        kind: 'update',
        key: unique('update'),
        id: newer.id,
        expectedVersion: version,
        contact: { ...contact, jobTitle: 'Veraltet' },
      });
      failedWith(stale, 'CRMSYNC_ERR_STALE_VERSION');
      expect((await store.getContact(newer.id))?.jobTitle).to.equal('Neuer');
    });

    it('refuses a delete based on a stale version, and deletes with the current one', async () => {
      const { id, version } = await created();
      const contact = (await store.getContact(id))!;
      const newer = succeeded(
        await applyOne(store, {
          kind: 'update',
          key: unique('update'),
          id,
          expectedVersion: version,
          contact: { ...contact, jobTitle: 'Geändert' },
        }),
      );
      failedWith(
        await applyOne(store, {
          kind: 'delete',
          key: unique('delete'),
          id: newer.id,
          expectedVersion: version,
        }),
        'CRMSYNC_ERR_STALE_VERSION',
      );
      expect(await store.getContact(newer.id)).to.not.equal(undefined);
      succeeded(
        await applyOne(store, {
          kind: 'delete',
          key: unique('delete'),
          id: newer.id,
          expectedVersion: newer.version!,
        }),
      );
      expect(await store.getContact(newer.id)).to.equal(undefined);
    });

    it('treats deleting a contact that is already gone as done, so a resumed commit can repeat a delete', async () => {
      const { id, version } = await created();
      const operation: WriteOperation = {
        kind: 'delete',
        key: unique('delete'),
        id,
        expectedVersion: version,
      };
      succeeded(await applyOne(store, operation));
      succeeded(await applyOne(store, structuredClone(operation)));
      expect(await store.getContact(id)).to.equal(undefined);
    });

    it('goes on with the other operations of a batch when one of them fails', async () => {
      const { id } = await created();
      const first = surnameFor('Erster');
      const last = surnameFor('Letzter');
      const operations: WriteOperation[] = [
        { kind: 'create', key: unique('create'), contact: subject.newContact(first) },
        { kind: 'delete', key: unique('delete'), id, expectedVersion: 'not-the-version' },
        { kind: 'create', key: unique('create'), contact: subject.newContact(last) },
      ];
      const outcomes = await all(store.apply(operations));
      expect(outcomes.map((outcome) => outcome.key).sort()).to.deep.equal(
        operations.map((op) => op.key).sort(),
      );
      const byKey = new Map(outcomes.map((outcome) => [outcome.key, outcome]));
      const made = [operations[0]!, operations[2]!].map((op) => succeeded(byKey.get(op.key)!));
      expect(byKey.get(operations[1]!.key)!.ok).to.equal(false);
      expect((await store.getContact(made[0]!.id))?.surname).to.equal(first);
      expect((await store.getContact(made[1]!.id))?.surname).to.equal(last);
      expect(await store.getContact(id)).to.not.equal(undefined);
    });

    it('reports created, changed and deleted contacts in its change feed, and nothing again after its last checkpoint', async () => {
      const start = await latestCursor(store);
      const kept = await created(surnameFor('Bleibt'));
      const gone = await created(surnameFor('Geht'));
      const contact = (await store.getContact(kept.id))!;
      const changed = succeeded(
        await applyOne(store, {
          kind: 'update',
          key: unique('update'),
          id: kept.id,
          expectedVersion: kept.version,
          contact: { ...contact, department: 'Vertrieb' },
        }),
      );
      succeeded(
        await applyOne(store, {
          kind: 'delete',
          key: unique('delete'),
          id: gone.id,
          expectedVersion: gone.version,
        }),
      );

      const items = await all(store.changesSince(start));
      expect(items.filter((item) => !item.ok)).to.deep.equal([]);
      const changes = changesOf(items);
      const upserts = changes.flatMap((change) => (change.type === 'upserted' ? [change.contact] : []));
      // The store's own id: the CRM id on the CRM side, the groupware id on the other (whose
      // contacts carry a CRM id too).
      const latest = upserts.filter((c) => [c.ids.crmId, c.ids.groupwareId].includes(changed.id)).at(-1);
      expect(latest?.department).to.equal('Vertrieb');
      expect(changes.some((change) => change.type === 'deleted' && change.id === gone.id)).to.equal(true);
      const checkpoint = changes.filter((change) => change.type === 'checkpoint').at(-1);
      expect(checkpoint, 'the feed ends with a checkpoint').to.not.equal(undefined);
      const after = changesOf(await all(store.changesSince((checkpoint as { cursor: string }).cursor)));
      expect(after.filter((change) => change.type !== 'checkpoint')).to.deep.equal([]);
    });

    it('sets and removes a photo based on the current version, and refuses one without a version', async () => {
      if (!store.fieldSupport.photo) {
        // A store without photos must say so and refuse photo writes, which is checked instead.
        const { id, version } = await created();
        const outcome = await applyOne(store, {
          kind: 'photo',
          key: unique('photo'),
          id,
          expectedVersion: version,
          photo: { mediaType: 'image/png', bytes: pixel },
        });
        expect(outcome.ok).to.equal(false);
        return;
      }
      const { id, version } = await created();
      failedWith(
        await applyOne(store, {
          kind: 'photo',
          key: unique('photo'),
          id,
          expectedVersion: undefined as unknown as string,
          photo: { mediaType: 'image/png', bytes: pixel },
        }),
        'CRMSYNC_ERR_NO_VERSION',
      );
      const set = succeeded(
        await applyOne(store, {
          kind: 'photo',
          key: unique('photo'),
          id,
          expectedVersion: version,
          photo: { mediaType: 'image/png', bytes: pixel },
        }),
      );
      const read = subject.readPhoto
        ? await subject.readPhoto(set.id)
        : (await store.getContact(set.id))?.photo;
      expect(read?.hash ?? (read?.bytes && photoHash(read.bytes))).to.equal(photoHash(pixel));
      const current = (await store.getContact(set.id))!;
      const currentVersion = current.ids.crmVersion ?? current.ids.groupwareVersion ?? set.version!;
      const removed = succeeded(
        await applyOne(store, {
          kind: 'photo',
          key: unique('photo'),
          id: set.id,
          expectedVersion: currentVersion,
          photo: undefined,
        }),
      );
      const after = subject.readPhoto
        ? await subject.readPhoto(removed.id)
        : (await store.getContact(removed.id))?.photo;
      expect(after).to.equal(undefined);
    });
  });
}
