import { describeContactStoreConformance } from '../../../test/support/contact-store-conformance.js';
import { VcardFolderConnector } from '../src/vcard-folder-connector.js';
import { contact } from './support/contacts.js';
import { TempFolder } from './support/temp-folder.js';

describeContactStoreConformance('The vCard folder', async () => {
  const temp = new TempFolder();
  let serial = 0;
  return {
    store: new VcardFolderConnector({ folder: temp.join('vcards'), stateDir: temp.join('state') }),
    newContact: (surname) =>
      contact({
        givenName: 'Konstanze',
        surname,
        ids: { crmId: `AP-K${Date.now().toString(36)}-${++serial}` },
      }),
    close: async () => temp.dispose(),
  };
});
