import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { type Contact, type ContactChange, CrmsyncError, type Fetched } from '../../../core/index.js';
import { replaceFile } from '../src/folder/atomic-file.js';
import { VcardFolderConnector } from '../src/vcard-folder-connector.js';
import { collect, contact, handWrittenCard } from './support/contacts.js';
import { createContact, deleteContact, updateContact } from './support/folder-writes.js';
import { TempFolder } from './support/temp-folder.js';

const anna = contact({
  salutation: 'Frau',
  givenName: 'Anna',
  surname: 'Schäfer',
  company: 'Schäfer Logistik GmbH',
  emails: [{ address: 'anna.schaefer@schaefer-logistik.de', type: 'work' }],
  phones: [{ number: '+49 40 123456', type: 'business' }],
  ids: { crmId: 'AP-1001' },
});
const jonas = contact({ givenName: 'Jonas', surname: 'Becker', ids: { crmId: 'AP-1002' } });

function values<T>(items: Fetched<T>[]): T[] {
  return items.map((item) => {
    if (!item.ok) throw new Error(`unexpected problem: ${item.problem.message}`);
    return item.value;
  });
}

describe('The vCard folder as a groupware store', () => {
  let temp: TempFolder;
  let connector: VcardFolderConnector;
  beforeEach(() => {
    temp = new TempFolder();
    connector = new VcardFolderConnector({ folder: temp.join('vcards'), stateDir: temp.join('state') });
    mkdirSync(temp.join('vcards'));
  });
  afterEach(() => temp.dispose());

  const folderFiles = () => readdirSync(temp.join('vcards')).sort();

  it('creates a contact as a file of its own, named after its UID and carrying the CRM id', async () => {
    const created = await createContact(connector, anna);
    expect(created.ids.groupwareId).to.match(/^[0-9a-f-]{36}\.vcf$/);
    expect(folderFiles()).to.deep.equal([created.ids.groupwareId]);
    const text = readFileSync(temp.join('vcards', created.ids.groupwareId as string), 'utf8');
    expect(text).to.contain('\r\nX-CRMSYNC-ID:AP-1001\r\n');
    expect(text).to.contain(`\r\nUID:${created.ids.uid}\r\n`);

    const read = await connector.getContact(created.ids.groupwareId as string);
    expect(read?.surname).to.equal('Schäfer');
    expect(read?.ids.crmId).to.equal('AP-1001');
    expect(read?.ids.groupwareVersion).to.equal(created.ids.groupwareVersion);
  });

  it('finds a contact by its CRM id, also after the file was edited by hand', async () => {
    await createContact(connector, jonas);
    const created = await createContact(connector, anna);
    expect((await connector.findByCrmId('AP-1001'))?.ids.groupwareId).to.equal(created.ids.groupwareId);
    const path = temp.join('vcards', created.ids.groupwareId as string);
    writeFileSync(path, readFileSync(path, 'utf8').replace('X-CRMSYNC-ID:AP-1001', 'X-CRMSYNC-ID:AP-2001'));
    expect(await connector.findByCrmId('AP-1001')).to.equal(undefined);
    expect((await connector.findByCrmId('AP-2001'))?.surname).to.equal('Schäfer');
  });

  it('lists every contact, each card of a multi-card file on its own', async () => {
    await createContact(connector, anna);
    writeFileSync(
      temp.join('vcards', 'team.vcf'),
      handWrittenCard('Eva Wolf') + handWrittenCard('Paul Roth'),
    );
    const listed = values(await collect(connector.listContacts()));
    expect(listed.map((c) => c.displayName).sort()).to.deep.equal([
      'Eva Wolf',
      'Frau Anna Schäfer',
      'Paul Roth',
    ]);
    expect(listed.map((c) => c.ids.groupwareId)).to.include.members(['team.vcf#1', 'team.vcf#2']);
  });

  it('reports a broken card with its file and card number and lists the other cards', async () => {
    const broken = handWrittenCard('Bernd Bruch', ['PHOTO;ENCODING=b;TYPE=JPEG:qgEPAAIAAAAH!!!:ASDF==']);
    writeFileSync(temp.join('vcards', 'mixed.vcf'), handWrittenCard('Eva Wolf') + broken);
    const items = await collect(connector.listContacts());
    expect(items.filter((item) => item.ok).map((item) => item.ok && item.value.displayName)).to.deep.equal([
      'Eva Wolf',
    ]);
    const problem = items.find((item) => !item.ok);
    expect(problem?.ok === false && problem.problem.location).to.deep.include({
      file: 'mixed.vcf',
      card: 2,
      line: 10,
    });
  });

  it('updates a contact in place, keeping its UID and giving it a new version', async () => {
    const created = await createContact(connector, anna);
    const updated = await updateContact(connector, { ...created, jobTitle: 'Disponentin' });
    expect(updated.ids.groupwareId).to.equal(created.ids.groupwareId);
    expect(updated.ids.groupwareVersion).not.to.equal(created.ids.groupwareVersion);
    const read = await connector.getContact(created.ids.groupwareId as string);
    expect(read?.jobTitle).to.equal('Disponentin');
    expect(read?.ids.uid).to.equal(created.ids.uid);
    expect(read?.ids.groupwareVersion).to.equal(updated.ids.groupwareVersion);
    expect(folderFiles()).to.have.length(1);
  });

  it('refuses an update against a stale version and keeps the change made meanwhile', async () => {
    const created = await createContact(connector, anna);
    const path = temp.join('vcards', created.ids.groupwareId as string);
    const byHand = readFileSync(path, 'utf8').replace('FN:Frau Anna Schäfer', 'FN:Anna Schäfer-Hansen');
    writeFileSync(path, byHand);

    const error = await updateContact(connector, { ...created, jobTitle: 'Disponentin' }).catch(
      (e: Error) => e,
    );
    expect((error as CrmsyncError).code).to.equal('CRMSYNC_ERR_STALE_VERSION');
    expect(readFileSync(path, 'utf8')).to.equal(byHand);
  });

  it('refuses a delete against a stale version', async () => {
    const created = await createContact(connector, anna);
    const path = temp.join('vcards', created.ids.groupwareId as string);
    writeFileSync(path, readFileSync(path, 'utf8').replace('Schäfer Logistik', 'Schäfer Spedition'));
    const error = await deleteContact(
      connector,
      created.ids.groupwareId as string,
      created.ids.groupwareVersion as string,
    ).catch((e: Error) => e);
    expect((error as CrmsyncError).code).to.equal('CRMSYNC_ERR_STALE_VERSION');
    expect(existsSync(path)).to.equal(true);
  });

  it('deletes a contact by removing its file', async () => {
    const created = await createContact(connector, anna);
    await deleteContact(connector, created.ids.groupwareId as string, created.ids.groupwareVersion as string);
    expect(folderFiles()).to.deep.equal([]);
    expect(await connector.getContact(created.ids.groupwareId as string)).to.equal(undefined);
  });

  it('changes one card of a multi-card file and leaves the other cards byte for byte', async () => {
    const eva = handWrittenCard('Eva Wolf', ['NOTE:unverändert']);
    const paul = handWrittenCard('Paul Roth');
    writeFileSync(temp.join('vcards', 'team.vcf'), eva + paul);
    const second = await connector.getContact('team.vcf#2');
    const updated = await updateContact(connector, { ...(second as Contact), jobTitle: 'Lagerleiter' });
    const text = readFileSync(temp.join('vcards', 'team.vcf'), 'utf8');
    expect(text.startsWith(eva)).to.equal(true);
    // The card now has a UID, and is known by it from now on.
    expect(updated.ids.groupwareId).to.equal(`team.vcf#uid-${encodeURIComponent(updated.ids.uid as string)}`);
    expect((await connector.getContact(updated.ids.groupwareId as string))?.jobTitle).to.equal('Lagerleiter');

    const first = await connector.getContact('team.vcf#1');
    await deleteContact(connector, 'team.vcf#1', first?.ids.groupwareVersion as string);
    const remaining = values(await collect(connector.listContacts()));
    expect(remaining.map((c) => c.displayName)).to.deep.equal(['Paul Roth']);
  });

  it('keeps the properties crmsync does not map when a contact built from CRM data updates the card', async () => {
    const path = temp.join('vcards', 'kunde.vcf');
    const kept = [
      'X-CUSTOM:Stammkunde',
      'IMPP:xmpp:eva@example.org',
      'item1.EMAIL:eva@example.org',
      'item1.X-ABLabel:Büro',
    ];
    writeFileSync(path, handWrittenCard('Eva Wolf', kept));
    const got = (await connector.getContact('kunde.vcf')) as Contact;
    await updateContact(connector, { ...got, jobTitle: 'Einkäuferin', extensions: undefined });
    const text = readFileSync(path, 'utf8').replace(/\r\n /g, '');
    for (const line of ['X-CUSTOM:Stammkunde', 'IMPP:xmpp:eva@example.org', 'item1.X-ABLabel:Büro'])
      expect(text, line).to.contain(`\r\n${line}\r\n`);
    expect((await connector.getContact('kunde.vcf'))?.jobTitle).to.equal('Einkäuferin');
  });

  it('writes the unknown properties the incoming contact brings, not those of the card, when it has its own', async () => {
    const path = temp.join('vcards', 'kunde.vcf');
    writeFileSync(path, handWrittenCard('Eva Wolf', ['X-CUSTOM:alt']));
    const got = (await connector.getContact('kunde.vcf')) as Contact;
    await updateContact(connector, { ...got, extensions: { vcard: { unknown: ['X-CUSTOM:neu'] } } });
    const text = readFileSync(path, 'utf8');
    expect(text).to.contain('\r\nX-CUSTOM:neu\r\n');
    expect(text).not.to.contain('X-CUSTOM:alt');
  });

  it('reads a card with a 5 MiB photo by default, since the card limit leaves room for it', async () => {
    const photo = Buffer.alloc(5 * 1024 * 1024 - 1024, 7);
    photo.set([0xff, 0xd8, 0xff, 0xe0]);
    const base64 = photo.toString('base64');
    writeFileSync(
      temp.join('vcards', 'foto.vcf'),
      handWrittenCard('Eva Wolf', [`PHOTO;ENCODING=b;TYPE=JPEG:${base64}`]),
    );
    const eva = await connector.getContact('foto.vcf');
    expect(eva?.photo?.bytes?.length).to.equal(photo.length);
  });

  it('keeps text around a single card when it changes that card', async () => {
    const path = temp.join('vcards', 'signed.vcf');
    writeFileSync(path, `Exported by PhoneSync\r\n${handWrittenCard('Eva Wolf')}-- end of export --\r\n`);
    const eva = await connector.getContact('signed.vcf');
    expect(eva?.displayName).to.equal('Eva Wolf');
    await updateContact(connector, { ...(eva as Contact), jobTitle: 'Einkäuferin' });
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('Exported by PhoneSync\r\nBEGIN:VCARD\r\n')).to.equal(true);
    expect(text.endsWith('END:VCARD\r\n-- end of export --\r\n')).to.equal(true);
    expect((await connector.getContact('signed.vcf'))?.jobTitle).to.equal('Einkäuferin');
  });

  it('gives a second contact with the same UID a file of its own instead of overwriting the first', async () => {
    const first = await createContact(connector, { ...anna, ids: { uid: 'shared-uid' } });
    const second = await createContact(connector, { ...jonas, ids: { uid: 'shared-uid' } });
    expect(first.ids.groupwareId).to.equal('shared-uid.vcf');
    expect(second.ids.groupwareId).to.equal('shared-uid-2.vcf');
    expect((await connector.getContact('shared-uid.vcf'))?.surname).to.equal('Schäfer');
  });

  it('reports every change made by hand between two runs: added, modified and deleted files', async () => {
    const kept = await createContact(connector, anna);
    const edited = await createContact(connector, jonas);
    writeFileSync(temp.join('vcards', 'old.vcf'), handWrittenCard('Otto Alt'));

    const first = await collect(connector.changesSince());
    const firstChanges = values(first);
    expect(firstChanges.filter((c) => c.type === 'upserted')).to.have.length(3);
    const cursor = checkpoint(firstChanges);

    writeFileSync(temp.join('vcards', 'new.vcf'), handWrittenCard('Nina Neu'));
    const editedPath = temp.join('vcards', edited.ids.groupwareId as string);
    writeFileSync(
      editedPath,
      readFileSync(editedPath, 'utf8').replace('FN:Jonas Becker', 'FN:Jonas Becker-Kühn'),
    );
    rmSync(temp.join('vcards', 'old.vcf'));

    const second = values(await collect(connector.changesSince(cursor)));
    const summary = second.map((c) =>
      c.type === 'upserted'
        ? `upserted ${c.contact.displayName}`
        : c.type === 'deleted'
          ? `deleted ${c.id}`
          : c.type,
    );
    expect(summary.sort()).to.deep.equal(
      ['checkpoint', 'deleted old.vcf', 'upserted Jonas Becker-Kühn', 'upserted Nina Neu'].sort(),
    );
    expect(summary.join()).not.to.contain(kept.displayName ?? 'Schäfer');

    const third = values(await collect(connector.changesSince(checkpoint(second))));
    expect(third.map((c) => c.type)).to.deep.equal(['checkpoint']);
  });

  it('says clearly when a cursor is not one of this folder', async () => {
    const cursor = checkpoint(values(await collect(connector.changesSince())));
    const elsewhere = new VcardFolderConnector({ folder: temp.join('other'), stateDir: temp.join('state') });
    for (const [foreign, store] of [
      ['vcf-snapshot:0123456789abcdef0123456789abcdef', connector],
      ['a cursor of some other store', connector],
      [cursor, elsewhere],
    ] as const) {
      const error = await collect(store.changesSince(foreign)).catch((e: Error) => e);
      expect(error, foreign).to.be.instanceOf(CrmsyncError);
      expect((error as CrmsyncError).code, foreign).to.equal('CRMSYNC_ERR_CURSOR_INVALID');
    }
  });

  it('is one account per folder: the same folder by another path is the same account', () => {
    const samePlace = new VcardFolderConnector({
      folder: `${temp.join('vcards')}/../vcards/`,
      stateDir: temp.join('state'),
    });
    const elsewhere = new VcardFolderConnector({ folder: temp.join('other'), stateDir: temp.join('state') });
    expect(samePlace.accountKey).to.equal(connector.accountKey).and.equal(temp.join('vcards'));
    expect(elsewhere.accountKey).not.to.equal(connector.accountKey);
  });

  it('says that a cursor has expired once its state is no longer kept', async () => {
    const cursor = checkpoint(values(await collect(connector.changesSince())));
    for (const name of readdirSync(temp.join('state')))
      if (name.endsWith('.json') && name !== 'folder.json') rmSync(temp.join('state', name));
    const error = await collect(connector.changesSince(cursor)).catch((e: Error) => e);
    expect((error as CrmsyncError).code).to.equal('CRMSYNC_ERR_CURSOR_EXPIRED');
  });

  it('leaves no temporary file behind after writes', async () => {
    const created = await createContact(connector, anna);
    await createContact(connector, { ...jonas, ids: { uid: created.ids.uid as string } });
    const updated = await updateContact(connector, { ...created, notes: 'Rückruf erbeten' });
    await updateContact(connector, { ...created, notes: 'veraltet' }).catch(() => undefined);
    await deleteContact(connector, updated.ids.groupwareId as string, updated.ids.groupwareVersion as string);
    await collect(connector.changesSince());
    expect(folderFiles().every((name) => name.endsWith('.vcf') || name === '.crmsync')).to.equal(true);
    expect(readdirSync(temp.join('state'))).to.satisfy((names: string[]) =>
      names.every((n) => n.endsWith('.json') || n === 'deletions.log'),
    );
  });

  it('leaves neither a temporary file nor a half-written file when a write fails', async () => {
    mkdirSync(temp.join('vcards', 'blocked.vcf', 'inside'), { recursive: true });
    const error = await replaceFile(temp.join('vcards', 'blocked.vcf'), Buffer.from('BEGIN:VCARD')).catch(
      (e: Error) => e,
    );
    expect(error).to.be.instanceOf(Error);
    expect(folderFiles()).to.deep.equal(['blocked.vcf']);
  });

  it('refuses an id that points outside the folder', async () => {
    for (const id of ['../secret.vcf', '/etc/passwd', 'a/b.vcf', '.hidden.vcf', 'notes.txt']) {
      const error = await connector.getContact(id).catch((e: Error) => e);
      expect((error as CrmsyncError).code, id).to.equal('CRMSYNC_ERR_VCARD_ID');
    }
  });

  it('is healthy when the folder can be written, and creates it when it is first configured', async () => {
    rmSync(temp.join('vcards'), { recursive: true });
    const health = await connector.health();
    expect(health.ok).to.equal(true);
    expect(existsSync(temp.join('vcards'))).to.equal(true);
  });
});

function checkpoint(changes: ContactChange[]): string {
  const last = changes[changes.length - 1];
  if (last?.type !== 'checkpoint') throw new Error('the change feed did not end with a checkpoint');
  return last.cursor;
}
