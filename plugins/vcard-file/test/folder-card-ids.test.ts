import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Contact, ContactChange, Fetched } from '../../../core/index.js';
import { VcardFolderConnector } from '../src/vcard-folder-connector.js';
import { collect, handWrittenCard } from './support/contacts.js';
import { deleteContact, updateContact } from './support/folder-writes.js';
import { TempFolder } from './support/temp-folder.js';

function values<T>(items: Fetched<T>[]): T[] {
  return items.map((item) => {
    if (!item.ok) throw new Error(`unexpected problem: ${item.problem.message}`);
    return item.value;
  });
}

/** Each change as one readable line, the checkpoint left out. */
function summary(changes: ContactChange[]): string[] {
  return changes.flatMap((c) =>
    c.type === 'upserted'
      ? [`upserted ${c.contact.ids.groupwareId} = ${c.contact.displayName}`]
      : c.type === 'deleted'
        ? [`deleted ${c.id}`]
        : [],
  );
}

function checkpoint(changes: ContactChange[]): string {
  const last = changes[changes.length - 1];
  if (last?.type !== 'checkpoint') throw new Error('the change feed did not end with a checkpoint');
  return last.cursor;
}

describe('Ids of the cards of a multi-card file', () => {
  let temp: TempFolder;
  let connector: VcardFolderConnector;
  const team = () => temp.join('vcards', 'team.vcf');
  const withUid = (name: string, uid: string) => handWrittenCard(name, [`UID:${uid}`]);
  const eva = withUid('Eva Wolf', 'p-1');
  const paul = withUid('Paul Roth', 'p-2');
  const ida = withUid('Ida Sommer', 'p-3');

  beforeEach(() => {
    temp = new TempFolder();
    mkdirSync(temp.join('vcards'));
    connector = new VcardFolderConnector({ folder: temp.join('vcards'), stateDir: temp.join('state') });
  });
  afterEach(() => temp.dispose());

  async function changesAfter(edit: () => void): Promise<string[]> {
    const cursor = checkpoint(values(await collect(connector.changesSince())));
    edit();
    const changes = values(await collect(connector.changesSince(cursor)));
    // And the next run, with nothing changed, reports nothing.
    const quiet = values(await collect(connector.changesSince(checkpoint(changes))));
    expect(summary(quiet)).to.deep.equal([]);
    return summary(changes);
  }

  it('names a card with a UID by that UID, so deleting the first card deletes only that contact', async () => {
    writeFileSync(team(), eva + paul + ida);
    const listed = values(await collect(connector.listContacts()));
    expect(listed.map((c) => c.ids.groupwareId)).to.deep.equal([
      'team.vcf#uid-p-1',
      'team.vcf#uid-p-2',
      'team.vcf#uid-p-3',
    ]);
    expect(await changesAfter(() => writeFileSync(team(), paul + ida))).to.deep.equal([
      'deleted team.vcf#uid-p-1',
    ]);
  });

  it('reports a card inserted by hand at the top of a file with UIDs as one new contact', async () => {
    writeFileSync(team(), eva + paul);
    const otto = withUid('Otto Neu', 'p-0');
    expect(await changesAfter(() => writeFileSync(team(), otto + eva + paul))).to.deep.equal([
      'upserted team.vcf#uid-p-0 = Otto Neu',
    ]);
  });

  it('recognises cards without UID that only moved by their content, when the first card is deleted', async () => {
    writeFileSync(
      team(),
      handWrittenCard('Eva Wolf') + handWrittenCard('Paul Roth') + handWrittenCard('Ida Sommer'),
    );
    const changes = await changesAfter(() =>
      writeFileSync(team(), handWrittenCard('Paul Roth') + handWrittenCard('Ida Sommer')),
    );
    expect(changes).to.deep.equal(['deleted team.vcf#1']);
  });

  it('reports a card without UID inserted at the top as one new contact, not as changes to the others', async () => {
    writeFileSync(team(), handWrittenCard('Eva Wolf') + handWrittenCard('Paul Roth'));
    const changes = await changesAfter(() =>
      writeFileSync(
        team(),
        handWrittenCard('Otto Neu') + handWrittenCard('Eva Wolf') + handWrittenCard('Paul Roth'),
      ),
    );
    expect(changes).to.deep.equal(['upserted team.vcf#1 = Otto Neu']);
  });

  it('reports a card without UID edited in place as an update, not as a deletion', async () => {
    writeFileSync(team(), handWrittenCard('Eva Wolf') + handWrittenCard('Paul Roth'));
    const changes = await changesAfter(() =>
      writeFileSync(team(), handWrittenCard('Eva Wolf-Berg') + handWrittenCard('Paul Roth')),
    );
    expect(changes).to.deep.equal(['upserted team.vcf#1 = Eva Wolf-Berg']);
  });

  it('gives a card whose UID an earlier card of the file already has its position instead', async () => {
    writeFileSync(team(), eva + withUid('Eva Kopie', 'p-1') + paul);
    const listed = values(await collect(connector.listContacts()));
    expect(listed.map((c) => `${c.ids.groupwareId} = ${c.displayName}`)).to.deep.equal([
      'team.vcf#uid-p-1 = Eva Wolf',
      'team.vcf#2 = Eva Kopie',
      'team.vcf#uid-p-2 = Paul Roth',
    ]);
    expect((await connector.getContact('team.vcf#2'))?.displayName).to.equal('Eva Kopie');
    expect((await connector.getContact('team.vcf#uid-p-1'))?.displayName).to.equal('Eva Wolf');
  });

  it('encodes a UID so that the id is safe in a URL, and finds, changes and deletes the card by it', async () => {
    const uid = 'urn:uuid:ab/cd#ef gh?';
    writeFileSync(team(), eva + withUid('Paul Roth', uid) + ida);
    const id = 'team.vcf#uid-urn%3Auuid%3Aab%2Fcd%23ef%20gh%3F';
    const paulRead = await connector.getContact(id);
    expect(paulRead?.displayName).to.equal('Paul Roth');
    const updated = await updateContact(connector, { ...(paulRead as Contact), jobTitle: 'Lagerleiter' });
    expect(updated.ids.groupwareId).to.equal(id);
    expect((await connector.getContact(id))?.jobTitle).to.equal('Lagerleiter');
    await deleteContact(connector, id, updated.ids.groupwareVersion as string);
    expect(readFileSync(team(), 'utf8')).to.equal(eva + ida);
  });

  it('keeps the id of a card with a UID when a contact from the CRM with another UID is written to it', async () => {
    writeFileSync(team(), eva + paul);
    const read = (await connector.getContact('team.vcf#uid-p-2')) as Contact;
    const updated = await updateContact(connector, { ...read, ids: { ...read.ids, uid: 'crm-uid-9' } });
    expect(updated.ids.groupwareId).to.equal('team.vcf#uid-p-2');
    expect((await connector.getContact('team.vcf#uid-p-2'))?.ids.groupwareVersion).to.equal(
      updated.ids.groupwareVersion,
    );
  });
});
