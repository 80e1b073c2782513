import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { type Contact, everyGroupwareField, type WriteOperation } from '../../../core/index.js';
import { VcardFolderConnector } from '../src/vcard-folder-connector.js';
import { collect, contact } from './support/contacts.js';
import { applyOne, createContact } from './support/folder-writes.js';
import { TempFolder } from './support/temp-folder.js';

const anna = contact({ givenName: 'Anna', surname: 'Schäfer', ids: { crmId: 'AP-1001' } });
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);

describe('Writing to the vCard folder with operations', () => {
  let temp: TempFolder;
  let connector: VcardFolderConnector;
  const files = () => readdirSync(temp.join('vcards')).sort();
  const text = (id: string) => readFileSync(temp.join('vcards', id), 'utf8');
  beforeEach(() => {
    temp = new TempFolder();
    connector = new VcardFolderConnector({ folder: temp.join('vcards'), stateDir: temp.join('state') });
  });
  afterEach(() => temp.dispose());

  it('answers every operation of a batch in order, and one that fails stops none of the others', async () => {
    const created = await createContact(connector, anna);
    const id = created.ids.groupwareId as string;
    const version = created.ids.groupwareVersion as string;
    const operations: WriteOperation[] = [
      {
        kind: 'update',
        key: 'stale',
        id,
        expectedVersion: 'not-the-version',
        contact: { ...created, notes: 'x' },
      },
      { kind: 'create', key: 'new', contact: contact({ surname: 'Becker', ids: { crmId: 'AP-1002' } }) },
      { kind: 'update', key: 'missing', id: 'gone.vcf', expectedVersion: version, contact: created },
      {
        kind: 'photo',
        key: 'photo',
        id,
        expectedVersion: version,
        photo: { mediaType: 'image/jpeg', bytes: jpeg },
      },
    ];
    const outcomes = await collect(connector.apply(operations));
    expect(outcomes.map((o) => [o.key, o.ok])).to.deep.equal([
      ['stale', false],
      ['new', true],
      ['missing', false],
      ['photo', true],
    ]);
    expect(outcomes[0]?.ok === false && outcomes[0].problem.code).to.equal('CRMSYNC_ERR_STALE_VERSION');
    expect(outcomes[2]?.ok === false && outcomes[2].problem.code).to.equal('CRMSYNC_ERR_NOT_FOUND');
    expect(outcomes[0]?.ok === false && outcomes[0].retryable).to.equal(false);
    expect(files()).to.have.length(2);
    expect((await connector.getContact(id))?.photo?.bytes).to.deep.equal(jpeg);
  });

  it('refuses an update, delete or photo write that does not say which version it is based on', async () => {
    const created = await createContact(connector, anna);
    const id = created.ids.groupwareId as string;
    const before = text(id);
    const unversioned = [
      { kind: 'update', key: 'u', id, contact: { ...created, notes: 'ohne Version' } },
      { kind: 'delete', key: 'd', id },
      { kind: 'photo', key: 'p', id, photo: { mediaType: 'image/jpeg', bytes: jpeg } },
    ] as unknown as WriteOperation[];
    const outcomes = await collect(connector.apply(unversioned));
    expect(outcomes.map((o) => o.ok === false && o.problem.code)).to.deep.equal([
      'CRMSYNC_ERR_NO_VERSION',
      'CRMSYNC_ERR_NO_VERSION',
      'CRMSYNC_ERR_NO_VERSION',
    ]);
    expect(text(id)).to.equal(before);
  });

  it('answers a create whose CRM id is already in the folder with that contact instead of writing a second card', async () => {
    const first = await createContact(connector, anna);
    const again = await applyOne(connector, {
      kind: 'create',
      key: 'resumed',
      contact: { ...anna, jobTitle: 'x' },
    });
    expect(again.ok && again.replayed).to.equal(true);
    expect(again.ok && again.id).to.equal(first.ids.groupwareId);
    expect(again.ok && again.version).to.equal(first.ids.groupwareVersion);
    expect(files()).to.deep.equal([first.ids.groupwareId]);

    // Twice in one batch, with a card added by hand that carries another CRM id.
    writeFileSync(
      temp.join('vcards', 'hand.vcf'),
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eva\r\nX-CRMSYNC-ID:AP-7\r\nEND:VCARD\r\n',
    );
    const jonas = contact({ surname: 'Becker', ids: { crmId: 'AP-1002' } });
    const outcomes = await collect(
      connector.apply([
        { kind: 'create', key: 'a', contact: jonas },
        { kind: 'create', key: 'b', contact: jonas },
        { kind: 'create', key: 'c', contact: contact({ surname: 'Wolf', ids: { crmId: 'AP-7' } }) },
      ]),
    );
    expect(outcomes.map((o) => o.ok && (o.replayed ?? false))).to.deep.equal([false, true, true]);
    expect(outcomes[2]?.ok && outcomes[2].id).to.equal('hand.vcf');
    expect(files()).to.have.length(3);
  });

  it('finds the contact an earlier create made by its CRM id, and none for a create that never ran', async () => {
    const created = await createContact(connector, anna);
    expect(
      (await connector.findCreated({ kind: 'create', key: 'k', contact: anna }))?.ids.groupwareId,
    ).to.equal(created.ids.groupwareId);
    const other = contact({ surname: 'Nie', ids: { crmId: 'AP-404' } });
    expect(await connector.findCreated({ kind: 'create', key: 'k2', contact: other })).to.equal(undefined);
  });

  it('sets and removes a photo, keeping the rest of the card', async () => {
    const created = await createContact(connector, { ...anna, jobTitle: 'Disponentin' });
    const id = created.ids.groupwareId as string;
    const set = await applyOne(connector, {
      kind: 'photo',
      key: 'p1',
      id,
      expectedVersion: created.ids.groupwareVersion as string,
      photo: { mediaType: 'image/jpeg', bytes: jpeg },
    });
    expect(text(id)).to.match(/\r\nPHOTO;ENCODING=b;TYPE=JPEG:/);
    const removed = await applyOne(connector, {
      kind: 'photo',
      key: 'p2',
      id,
      expectedVersion: (set.ok && set.version) as string,
      photo: undefined,
    });
    expect(removed.ok).to.equal(true);
    const after = (await connector.getContact(id)) as Contact;
    expect(after.photo).to.equal(undefined);
    expect(after.jobTitle).to.equal('Disponentin');
  });

  it('declares every field an address book holds, but not the CRM’s own partner and sync flag', () => {
    expect(connector.fieldSupport).to.equal(everyGroupwareField);
    expect(connector.fieldSupport.scalars).to.not.include.members(['partnerId', 'groupwareSync']);
  });

  it('writes no control character into a card, whatever the contact brings', async () => {
    const created = await createContact(connector, {
      ...anna,
      notes: 'Rückruf\u0000 erbeten\u0007',
      company: 'A\u001bG',
    });
    const written = text(created.ids.groupwareId as string);
    for (const control of ['\u0000', '\u0007', '\u001b']) expect(written).not.to.contain(control);
    const read = await connector.getContact(created.ids.groupwareId as string);
    expect(read?.notes).to.equal('Rückruf erbeten');
    expect(read?.company).to.equal('AG');
  });
});
