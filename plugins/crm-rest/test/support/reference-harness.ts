import { type CrmServer, startCrmServer } from '../../../../emulators/crm/index.js';
import { CrmRestConnector } from '../../src/index.js';
import type { Profile } from '../../src/profile/profile.js';
import type { CrmHarness } from './harness.js';
import { readProfile, referenceProfileFile } from './profiles.js';

/** The reference CRM in this process, and connectors built from the shipped profile. */
export async function referenceHarness(): Promise<CrmHarness & { server: CrmServer }> {
  const server = await startCrmServer({ port: 0, seed: { seed: 11, partners: 5, contacts: 120 } });
  const sleeps: number[] = [];
  let broken = 0;
  const connectorWith = (change: (profile: Profile) => void = () => {}) => {
    const profile = readProfile(referenceProfileFile);
    profile.baseUrl = server.url;
    // Small pages, so that a hundred contacts take several of them.
    profile.paging.size = 25;
    profile.endpoints.changes!.size = 50;
    change(profile);
    return new CrmRestConnector({
      profile,
      profileFile: referenceProfileFile,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  };
  return {
    server,
    connector: connectorWith(),
    connectorWith,
    sleeps,
    partnerIds: ['GP-0001', 'GP-0002'],
    countContacts: () => server.store.countContacts(),
    insertMalformed() {
      const base = {
        partnerId: 'GP-0001',
        emails: [],
        phones: {},
        groupwareSync: true,
        hasPhoto: false,
        version: 1,
      };
      const records = [
        { firstName: 'Ohne', lastName: undefined },
        { firstName: 'Falsche', lastName: 'Adresse', emails: [{ address: 'kein-at-zeichen', kind: 'work' }] },
        { firstName: 'Falsche', lastName: 'Nummer', phones: { mobile: 'bitte zurückrufen' } },
        { firstName: 'Zahl', lastName: 42 },
      ];
      return records.map((record) => {
        broken += 1;
        const id = `AP-KAPUTT-${broken}`;
        server.store.insertRawContact(id, { id, ...base, ...record });
        return id;
      });
    },
    injectFault(status, retryAfter, times = 1) {
      server.faults.enqueue({ status, retryAfter, times, pathPrefix: '/api/v1/contacts' });
    },
    requests: () => server.faults.requests,
    wrongSecret(profile) {
      if (profile.auth.type === 'apiKey') profile.auth.key = 'not-the-key';
    },
    close: () => server.close(),
  };
}
