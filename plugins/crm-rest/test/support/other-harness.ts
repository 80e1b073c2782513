import { CrmRestConnector } from '../../src/index.js';
import type { Profile } from '../../src/profile/profile.js';
import type { CrmHarness } from './harness.js';
import { startOtherCrm } from './other-crm-server.js';
import { otherProfileFile, readProfile } from './profiles.js';

/** The differently shaped CRM, and connectors built from its own profile. */
export async function otherHarness(): Promise<CrmHarness> {
  const server = await startOtherCrm({ contacts: 60 });
  const sleeps: number[] = [];
  const connectorWith = (change: (profile: Profile) => void = () => {}) => {
    const profile = readProfile(otherProfileFile);
    profile.baseUrl = server.url;
    profile.auth = { type: 'bearer', token: server.token };
    change(profile);
    return new CrmRestConnector({
      profile,
      profileFile: otherProfileFile,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  };
  return {
    connector: connectorWith(),
    connectorWith,
    sleeps,
    partnerIds: [String(server.orgIds[0]), String(server.orgIds[1])],
    countContacts: () => server.persons.size,
    insertMalformed() {
      const base = {
        org: { orgId: server.orgIds[0], name: 'x' },
        job: {},
        contactPoints: [],
        outlookSync: 'J',
        meta: { rev: 1 },
      };
      return [
        { ...base, person: { anrede: 1, vorname: 'Ohne' } },
        {
          ...base,
          person: { anrede: 2, nachname: 'Adresse' },
          contactPoints: [{ channel: 'MAIL', value: 'kein-at-zeichen' }],
        },
        {
          ...base,
          person: { anrede: 1, nachname: 'Nummer' },
          contactPoints: [{ channel: 'MOBIL', value: 'bitte zurückrufen' }],
        },
        { ...base, person: { anrede: 1, nachname: 42 } },
      ].map((record) => String(server.insertRaw(record)));
    },
    injectFault(status, retryAfter, times = 1) {
      for (let i = 0; i < times; i++) server.faults.push({ status, retryAfter });
    },
    requests: () => server.requests,
    wrongSecret(profile) {
      if (profile.auth.type === 'bearer') profile.auth.token = 'not-the-token';
    },
    close: () => server.close(),
  };
}
