import { startCrmServer } from '../../../emulators/crm/index.js';
import { describeContactStoreConformance } from '../../../test/support/contact-store-conformance.js';
import { CrmRestConnector } from '../src/index.js';
import { sampleContact } from './support/harness.js';
import { readProfile, referenceProfileFile } from './support/profiles.js';

describeContactStoreConformance('crm-rest over the reference CRM', async () => {
  const server = await startCrmServer({ port: 0, seed: { seed: 7, partners: 3, contacts: 30 } });
  const profile = readProfile(referenceProfileFile);
  profile.baseUrl = server.url;
  const store = new CrmRestConnector({ profile, profileFile: referenceProfileFile, sleep: async () => {} });
  return {
    store,
    newContact: (surname) => ({ ...sampleContact('GP-0001'), surname }),
    readPhoto: (id) => store.getPhoto(id),
    close: () => server.close(),
  };
});
