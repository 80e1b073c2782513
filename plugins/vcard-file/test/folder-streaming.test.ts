import { createReadStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { VcardFolderConnector } from '../src/vcard-folder-connector.js';
import { handWrittenCard } from './support/contacts.js';
import { TempFolder } from './support/temp-folder.js';

const chunkSize = 16 * 1024;
const cardCount = 5000;

/** A folder whose files are read through a counter of the chunks taken so far. */
class CountingFolder {
  chunksRead = 0;
  readonly connector: VcardFolderConnector;

  constructor(readonly temp: TempFolder) {
    this.connector = new VcardFolderConnector({
      folder: temp.join('vcards'),
      stateDir: temp.join('state'),
      openFile: (path) => this.counted(path),
    });
  }

  private async *counted(path: string): AsyncIterable<Uint8Array> {
    for await (const chunk of createReadStream(path, { highWaterMark: chunkSize })) {
      this.chunksRead++;
      yield chunk as Buffer;
    }
  }
}

describe('Streaming the cards of a large file in the vCard folder', () => {
  let temp: TempFolder;
  let folder: CountingFolder;
  let totalChunks: number;

  before(() => {
    temp = new TempFolder();
    mkdirSync(temp.join('vcards'));
    const cards: string[] = [];
    for (let i = 1; i <= cardCount; i++)
      cards.push(handWrittenCard(`Person${i} Nachname${i}`, [`UID:person-${i}`, `NOTE:${'x'.repeat(200)}`]));
    writeFileSync(temp.join('vcards', 'all.vcf'), cards.join(''));
    totalChunks = Math.ceil(statSync(temp.join('vcards', 'all.vcf')).size / chunkSize);
  });
  after(() => temp.dispose());
  beforeEach(() => {
    folder = new CountingFolder(temp);
  });

  it('lists the first contact of a file before reading the rest of it', async () => {
    expect(totalChunks).to.be.greaterThan(50);
    const listing = folder.connector.listContacts()[Symbol.asyncIterator]();
    const first = await listing.next();
    expect(first.done).to.equal(false);
    expect(first.value.ok && first.value.value.ids.groupwareId).to.equal('all.vcf#uid-person-1');
    expect(folder.chunksRead).to.be.at.most(3);
    await listing.return?.();
  });

  it('lists every card of the file, reading it exactly once', async () => {
    let count = 0;
    for await (const item of folder.connector.listContacts()) if (item.ok) count++;
    expect(count).to.equal(cardCount);
    expect(folder.chunksRead).to.equal(totalChunks);
  });

  it('reports the first change of a file before reading the rest of it', async () => {
    const changes = folder.connector.changesSince()[Symbol.asyncIterator]();
    const first = await changes.next();
    expect(first.value.ok && first.value.value.type).to.equal('upserted');
    expect(folder.chunksRead).to.be.at.most(3);
    await changes.return?.();
  });

  it('stops reading a file once the contact asked for is found', async () => {
    const contact = await folder.connector.getContact('all.vcf#uid-person-2');
    expect(contact?.displayName).to.equal('Person2 Nachname2');
    expect(folder.chunksRead).to.be.at.most(3);
  });
});
