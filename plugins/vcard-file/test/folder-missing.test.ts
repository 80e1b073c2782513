import { createReadStream, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { expect } from 'chai';
import type { ContactChange, CrmsyncError, Fetched } from '../../../core/index.js';
import { VcardFolderConnector } from '../src/vcard-folder-connector.js';
import { collect, contact } from './support/contacts.js';
import { applyOne, createContact } from './support/folder-writes.js';
import { TempFolder } from './support/temp-folder.js';

function checkpoint(items: Fetched<ContactChange>[]): string {
  const last = items.at(-1);
  if (!last?.ok || last.value.type !== 'checkpoint')
    throw new Error('the change feed did not end with a checkpoint');
  return last.value.cursor;
}

/** Runs a change feed to its end, keeping what it yielded before it failed. */
async function feed(connector: VcardFolderConnector, cursor: string) {
  const items: Fetched<ContactChange>[] = [];
  try {
    for await (const item of connector.changesSince(cursor)) items.push(item);
    return { items, error: undefined };
  } catch (error) {
    return { items, error: error as CrmsyncError };
  }
}

describe('A vCard folder that is missing or not mounted', () => {
  let temp: TempFolder;
  let connector: VcardFolderConnector;
  const folder = () => temp.join('share');
  const open = () => new VcardFolderConnector({ folder: folder(), stateDir: temp.join('state') });
  beforeEach(() => {
    temp = new TempFolder();
    connector = open();
  });
  afterEach(() => temp.dispose());

  it('is reported as missing while a sync from a cursor that knew cards sees no deletions', async () => {
    await createContact(
      connector,
      contact({ givenName: 'Anna', surname: 'Schäfer', ids: { crmId: 'AP-1' } }),
    );
    await createContact(
      connector,
      contact({ givenName: 'Jonas', surname: 'Becker', ids: { crmId: 'AP-2' } }),
    );
    const cursor = checkpoint(await collect(connector.changesSince()));

    renameSync(folder(), temp.join('unmounted'));
    const { items, error } = await feed(connector, cursor);
    expect(error?.code).to.equal('CRMSYNC_ERR_FOLDER_MISSING');
    expect(error?.message).to.contain(folder());
    expect(items).to.deep.equal([]);

    const listing = await collect(connector.listContacts()).catch((e: CrmsyncError) => e);
    expect((listing as CrmsyncError).code).to.equal('CRMSYNC_ERR_FOLDER_MISSING');
    const health = await connector.health();
    expect(health.ok).to.equal(false);
    expect(health.detail).to.contain('CRMSYNC_ERR_FOLDER_MISSING');
    const write = await applyOne(connector, {
      kind: 'create',
      key: 'k-missing',
      contact: contact({ surname: 'Neu', ids: { crmId: 'AP-3' } }),
    });
    expect(write.ok === false && write.problem.code).to.equal('CRMSYNC_ERR_FOLDER_MISSING');
    expect(write.ok === false && write.retryable).to.equal(true);
    // Nothing recreated the folder, so the mount point stays free for the share.
    expect(existsSync(folder())).to.equal(false);

    renameSync(temp.join('unmounted'), folder());
    const back = await collect(connector.changesSince(cursor));
    expect(back.map((item) => item.ok && item.value.type)).to.deep.equal(['checkpoint']);
  });

  it('is created when first configured, and not again after a restart once it is gone', async () => {
    expect((await connector.health()).ok).to.equal(true);
    expect(existsSync(folder())).to.equal(true);
    rmSync(folder(), { recursive: true });

    const restarted = open();
    const health = await restarted.health();
    expect(health.ok).to.equal(false);
    expect(existsSync(folder())).to.equal(false);
    const error = await restarted.getContact('anna.vcf').catch((e: CrmsyncError) => e);
    expect((error as CrmsyncError).code).to.equal('CRMSYNC_ERR_FOLDER_MISSING');
  });

  it('fails a change run when the folder goes away while it is read, instead of reporting deletions', async () => {
    await createContact(connector, contact({ surname: 'Eins', ids: { crmId: 'AP-1' } }));
    await createContact(connector, contact({ surname: 'Zwei', ids: { crmId: 'AP-2' } }));
    const cursor = checkpoint(await collect(connector.changesSince()));
    const [first] = readdirSync(folder()).sort();
    await createContact(connector, contact({ surname: 'Drei', ids: { crmId: 'AP-3' } }));
    const vanishing = new VcardFolderConnector({
      folder: folder(),
      stateDir: temp.join('state'),
      openFile: async function* (path) {
        // The share drops after the first file has been read.
        if (!path.endsWith(first as string)) {
          if (existsSync(folder())) renameSync(folder(), temp.join('gone'));
        }
        yield* createReadStream(path);
      },
    });
    const { items, error } = await feed(vanishing, cursor);
    expect(error?.code).to.equal('CRMSYNC_ERR_FOLDER_MISSING');
    expect(items.filter((item) => item.ok && item.value.type === 'deleted')).to.deep.equal([]);
  });
});
