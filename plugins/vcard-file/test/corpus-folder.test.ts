import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Contact, Fetched } from '../../../core/index.js';
import { fixture } from '../../../test/support/paths.js';
import { readVCardsSync } from '../src/read/index.js';
import { VcardFolderConnector } from '../src/vcard-folder-connector.js';
import { collect } from './support/contacts.js';
import { updateContact } from './support/folder-writes.js';
import { TempFolder } from './support/temp-folder.js';

const corpus = fixture('vcard', 'real');
const files = readdirSync(corpus)
  .filter((name) => name.toLowerCase().endsWith('.vcf'))
  .sort();
const okCount = (items: Fetched<Contact>[]) => items.filter((item) => item.ok).length;

describe('The real-world corpus as a vCard folder', () => {
  let temp: TempFolder;
  beforeEach(() => {
    temp = new TempFolder();
  });
  afterEach(() => temp.dispose());

  for (const file of files) {
    it(`lists every card of ${file} and changes each one without touching the others`, async () => {
      copyFileSync(`${corpus}/${file}`, temp.join(file));
      const connector = new VcardFolderConnector({ folder: temp.path, stateDir: temp.join('.state') });
      const expected = okCount(readVCardsSync(readFileSync(`${corpus}/${file}`), { file }));
      const listed = (await collect(connector.listContacts())).flatMap((item) =>
        item.ok ? [item.value] : [],
      );
      expect(listed, file).to.have.length(expected);

      // The first and last cards of a long file stand for the rest.
      const sample = listed.length > 6 ? [...listed.slice(0, 3), ...listed.slice(-3)] : listed;
      for (const contact of sample) {
        const id = contact.ids.groupwareId as string;
        const before = (await collect(connector.listContacts())).flatMap((item) =>
          item.ok ? [item.value] : [],
        );
        const current = before.find((c) => c.ids.groupwareId === id) as Contact;
        const updated = await updateContact(connector, { ...current, jobTitle: 'Geprüft' }).catch(
          (error: Error) => error,
        );
        if (updated instanceof Error) {
          // Only a card nested inside another may refuse, and it must say why.
          expect((updated as Error & { code?: string }).code, `${id}: ${updated.message}`).to.equal(
            'CRMSYNC_ERR_VCARD_NOT_WRITABLE',
          );
          continue;
        }
        // A card without a UID gets one when it is written, and with it an id that no longer moves.
        const newId = updated.ids.groupwareId as string;
        expect((await connector.getContact(newId))?.jobTitle, id).to.equal('Geprüft');
        const after = (await collect(connector.listContacts())).flatMap((item) =>
          item.ok ? [item.value] : [],
        );
        expect(after, id).to.have.length(before.length);
        for (const other of before.filter((c) => c.ids.groupwareId !== id)) {
          const same = after.find((c) => c.ids.groupwareId === other.ids.groupwareId);
          expect(same?.ids.groupwareVersion, `${other.ids.groupwareId} after changing ${id}`).to.equal(
            other.ids.groupwareVersion,
          );
        }
      }
    });
  }
});
