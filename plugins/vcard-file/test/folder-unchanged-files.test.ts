import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import type { ContactChange } from '../../../core/index.js';
import { VcardFolderConnector } from '../src/vcard-folder-connector.js';
import { handWrittenCard } from './support/contacts.js';
import { TempFolder } from './support/temp-folder.js';

describe('Changes of a vCard folder whose files were not touched', () => {
  let temp: TempFolder;
  let opened: string[];
  let connector: VcardFolderConnector;

  beforeEach(() => {
    temp = new TempFolder();
    mkdirSync(temp.join('vcards'));
    for (let n = 1; n <= 20; n++)
      writeFileSync(
        temp.join('vcards', `person-${n}.vcf`),
        handWrittenCard(`Person${n} Nachname`, [`UID:p-${n}`]),
      );
    opened = [];
    connector = new VcardFolderConnector({
      folder: temp.join('vcards'),
      stateDir: temp.join('state'),
      openFile: (path) => {
        opened.push(path);
        return createReadStream(path);
      },
    });
  });
  afterEach(() => temp.dispose());

  async function changes(cursor?: string): Promise<{ changed: ContactChange[]; cursor: string }> {
    const changed: ContactChange[] = [];
    let next = '';
    for await (const fetched of connector.changesSince(cursor)) {
      if (!fetched.ok) throw new Error(fetched.problem.message);
      if (fetched.value.type === 'checkpoint') next = fetched.value.cursor;
      else changed.push(fetched.value);
    }
    return { changed, cursor: next };
  }

  it('reads no file again when nothing changed since the cursor', async () => {
    const first = await changes();
    expect(first.changed).to.have.length(20);
    opened = [];
    const second = await changes(first.cursor);
    expect(second.changed).to.deep.equal([]);
    expect(opened).to.deep.equal([]);
  });

  it('reads only the file that was rewritten, and reports its card', async () => {
    const first = await changes();
    opened = [];
    writeFileSync(temp.join('vcards', 'person-7.vcf'), handWrittenCard('Person7 Anders', ['UID:p-7']));
    const second = await changes(first.cursor);
    expect(opened.map((path) => path.split('/').pop())).to.deep.equal(['person-7.vcf']);
    expect(second.changed).to.have.length(1);
    expect(second.changed[0]).to.deep.include({ type: 'upserted' });
  });
});
