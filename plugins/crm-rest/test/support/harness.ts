import type { Contact } from '../../../../core/index.js';
import type { CrmRestConnector } from '../../src/index.js';
import type { Profile } from '../../src/profile/profile.js';

/**
 * What the shared connector suite needs from a CRM under test. Each CRM (the reference one,
 * the differently shaped one) provides it; the suite itself knows neither.
 */
export interface CrmHarness {
  /** A connector built from the CRM's profile file; waits between retries are recorded, not slept. */
  connector: CrmRestConnector;
  /** Another connector from the same profile after `change` edited a copy of it. */
  connectorWith(change: (profile: Profile) => void): CrmRestConnector;
  /** Retry waits the connectors asked for, in ms. */
  sleeps: number[];
  /** Two existing business partners. */
  partnerIds: [string, string];
  /** How many contacts the CRM holds now. */
  countContacts(): number;
  /**
   * Puts records into the CRM that break the mapping: no surname, an invalid e-mail, an invalid
   * phone, a surname of the wrong type. Returns their ids.
   */
  insertMalformed(): string[];
  /** The next `times` requests are answered with `status` (and Retry-After). */
  injectFault(status: number, retryAfter?: string, times?: number): void;
  /** Requests the server saw, as `METHOD path`. */
  requests(): string[];
  /** Changes the profile's secret to a wrong value / removes the credentials. */
  wrongSecret(profile: Profile): void;
  close(): Promise<void>;
}

let serial = 0;

/** A new contact full of German particulars, unique by its e-mail address and mobile number. */
export function sampleContact(partnerId: string): Contact {
  serial += 1;
  const tag = String(serial).padStart(3, '0');
  return {
    salutation: 'Frau',
    title: 'Dr.',
    givenName: 'Jördis',
    surname: `Weiß-Groß${serial > 1 ? `-${tag}` : ''}`,
    partnerId,
    jobTitle: 'Leiterin Einkauf',
    department: 'Einkauf',
    emails: [{ address: `joerdis.weiss-gross.${tag}@example.de`, type: 'work', preferred: true }],
    phones: [
      { number: `0641 9876-${tag}`, type: 'business' },
      { number: `+49 171 5550${tag}`, type: 'mobile' },
    ],
    addresses: [
      { type: 'business', street: 'Ludwigstraße 23', postalCode: '35390', city: 'Gießen', country: 'DE' },
    ],
    birthday: '1979-02-28',
    notes: 'Neu angelegt über crmsync.',
    categories: [],
    groupwareSync: false,
    ids: {},
  };
}
