import { describeContactStoreConformance } from '../../../test/support/contact-store-conformance.js';
import { connectorFor, crmContact, emulator } from './support/outlook-session.js';

describeContactStoreConformance('Outlook through Microsoft Graph (emulated)', async () => {
  const server = await emulator();
  const store = connectorFor(server);
  return {
    store,
    newContact: (surname) => crmContact(surname),
    readPhoto: (id) => store.readPhoto(id),
    close: async () => {
      store.close();
      await server.close();
    },
  };
});
