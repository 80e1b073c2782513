import { createHash } from 'node:crypto';
import { type Contact, emptyContact } from '../../domain/contact.js';
import type { ContactJson } from '../../domain/contact-json.js';
import { CrmsyncError } from '../../domain/errors.js';
import type { DedupeRule } from '../../ports/dedupe-rule.js';
import type { IndexedContact } from '../../store/state-store.js';

/** A rule with the contribution id it was registered under; the id names it in every finding. */
export interface NamedRule {
  id: string;
  rule: DedupeRule;
}

/**
 * The index entry of a CRM contact: every rule's blocking keys, each once, what each rule
 * derives of it (its profile), and the contact without photo bytes.
 */
export function indexEntry(contact: Contact, rules: readonly NamedRule[]): IndexedContact {
  const crmId = contact.ids.crmId;
  if (!crmId)
    throw new CrmsyncError(
      'CRMSYNC_ERR_CONTACT_INVALID',
      'a CRM contact without a CRM id cannot be indexed',
      {
        field: 'ids.crmId',
      },
    );
  const stored = withoutPhotoBytes(contact) as Contact;
  const keys: string[] = [];
  let profiles: Record<string, unknown> | undefined;
  for (const { id, rule } of rules) {
    // The profile first: a rule may derive its keys from it rather than from the contact again.
    const profile = profileOf(rule, stored);
    if (profile !== undefined) {
      profiles ??= {};
      profiles[id] = profile;
    }
    // A contact has a dozen keys: a scan is cheaper than a set, a million times over.
    for (const key of rule.blockingKeys(stored)) if (!keys.includes(key)) keys.push(key);
  }
  return profiles ? { crmId, contact: stored, keys, profiles } : { crmId, contact: stored, keys };
}

/**
 * The rule's profile of a contact, undefined when it offers none or cannot derive one: the
 * pairs of that contact are then judged in full, where a failing rule is reported.
 */
export function profileOf(rule: DedupeRule, contact: Contact): unknown {
  if (!rule.profile || !rule.mayMatch) return undefined;
  try {
    return rule.profile(contact);
  } catch {
    return undefined;
  }
}

/**
 * The order-independent name of a rule set, kept with the index: when the rules change, the
 * stored keys and profiles no longer fit and the index is rebuilt. It names each rule by its
 * id and by the keys and the profile it gives a few sample contacts, so a newer version of a
 * rule that derives them differently rebuilds the index too, without anyone having to
 * remember to say so.
 */
export function rulesFingerprint(rules: readonly NamedRule[]): string {
  const named = rules
    .map(({ id, rule }) => `${id}:${JSON.stringify(keySamples.map((sample) => sampleOf(rule, sample)))}`)
    .sort()
    .join('\n');
  return `${rules
    .map((rule) => rule.id)
    .sort()
    .join(',')}#${createHash('sha256').update(named).digest('hex').slice(0, 16)}`;
}

/** A rule that cannot key a sample is named by that; classifying reports the failure where it matters. */
function sampleOf(rule: DedupeRule, sample: Contact): unknown[] {
  let keys: string[];
  try {
    keys = [...rule.blockingKeys(sample)];
  } catch {
    keys = ['(no keys)'];
  }
  const profile = profileOf(rule, sample);
  return profile === undefined ? keys : [...keys, profile];
}

/** Contacts that exercise every kind of blocking key the shipped rules give. */
const keySamples: Contact[] = [
  {
    ...emptyContact(),
    givenName: 'Jürgen',
    surname: 'Strauß-Müller',
    company: 'Weber & Söhne GmbH',
    birthday: '1971-03-09',
    emails: [{ address: ' Juergen.Strauss@Weber-Soehne.de ', type: 'work' }],
    phones: [
      { number: '0171/9876543', type: 'mobile' },
      { number: '+49 30 1234567', type: 'business' },
    ],
    addresses: [{ type: 'business', street: 'Hauptstraße 12a', postalCode: '10115', city: 'Berlin' }],
    ids: { crmId: 'sample-1' },
  },
  { ...emptyContact(), surname: 'Ng', emails: [{ address: 'info@example.org', type: 'other' }], ids: {} },
];

/**
 * A contact as the index keeps it: what rules compare, without photo bytes and without the
 * connector-private extensions (a CRM's raw record would double every row of the index).
 */
function withoutPhotoBytes(contact: Contact): ContactJson {
  // Most contacts carry neither; a copy of each of a million would be garbage at once.
  if (!('photo' in contact) && !('extensions' in contact)) return contact;
  const { photo, extensions: _connectorPrivate, ...rest } = contact;
  if (!photo) return rest;
  return { ...rest, photo: { mediaType: photo.mediaType, ...(photo.hash ? { hash: photo.hash } : {}) } };
}
