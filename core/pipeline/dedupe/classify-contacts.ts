import { createHash } from 'node:crypto';
import { type Contact, emptyContact } from '../../domain/contact.js';
import type { ContactJson } from '../../domain/contact-json.js';
import { CrmsyncError } from '../../domain/errors.js';
import type { DedupeFinding, DedupeRule } from '../../ports/dedupe-rule.js';
import type { CandidateIndex, IndexedContact } from '../../store/state-store.js';
import type { DuplicateVerdict } from '../plan.js';

/** A rule with the contribution id it was registered under; the id names it in every finding. */
export interface NamedRule {
  id: string;
  rule: DedupeRule;
}

type Finding = DuplicateVerdict['findings'][number];

/** Incoming contacts asked of the index at once: large enough to amortise a query, small enough for memory. */
const lookupChunk = 2_000;

/** The index entry of a CRM contact: every rule's blocking keys, the contact without photo bytes. */
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
  const stored = withoutPhotoBytes(contact);
  return { crmId, contact: stored, keys: [...keysByRule(stored as Contact, rules).keys()] };
}

/**
 * The order-independent name of a rule set, kept with the index: when the rules change, the
 * stored keys no longer fit and the index is rebuilt. It names each rule by its id and by the
 * keys it gives a few sample contacts, so a newer version of a rule that derives its keys
 * differently rebuilds the index too, without anyone having to remember to say so.
 */
export function rulesFingerprint(rules: readonly NamedRule[]): string {
  const named = rules
    .map(({ id, rule }) => `${id}:${JSON.stringify(keySamples.map((sample) => sampleKeys(rule, sample)))}`)
    .sort()
    .join('\n');
  return `${rules
    .map((rule) => rule.id)
    .sort()
    .join(',')}#${createHash('sha256').update(named).digest('hex').slice(0, 16)}`;
}

/** A rule that cannot key a sample is named by that; classifying reports the failure where it matters. */
function sampleKeys(rule: DedupeRule, sample: Contact): string[] {
  try {
    return [...rule.blockingKeys(sample)];
  } catch {
    return ['(no keys)'];
  }
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
 * One verdict per incoming contact, in order. Candidates come from the index by blocking
 * keys, never from all pairs; each candidate is judged by the rules whose keys it shares,
 * and the verdict is the strongest finding.
 */
export async function classifyContacts(
  incoming: readonly Contact[],
  rules: readonly NamedRule[],
  index: CandidateIndex,
): Promise<DuplicateVerdict[]> {
  checkIds(rules);
  const verdicts: DuplicateVerdict[] = [];
  for (let start = 0; start < incoming.length; start += lookupChunk) {
    const chunk = incoming.slice(start, start + lookupChunk);
    const keys = chunk.map((contact) => keysByRule(contact, rules));
    const answers = await index.candidates(keys.map((byKey) => [...byKey.keys()]));
    chunk.forEach((contact, at) => {
      verdicts.push(verdictOf(contact, answers[at] ?? [], keys[at]!, rules));
    });
  }
  return verdicts;
}

/**
 * Judges each candidate by the rules that gave one of the keys it shares: a rule promises a
 * key to every pair it could accept, so the others need not look. Keys are prefixed by their
 * kind (`email:`), so two rules giving the same key mean the same thing by it.
 */
function verdictOf(
  incoming: Contact,
  candidates: readonly { crmId: string; contact: ContactJson; sharedKeys: string[] }[],
  keyRules: ReadonlyMap<string, number>,
  rules: readonly NamedRule[],
): DuplicateVerdict {
  const findings: Finding[] = [];
  for (const candidate of candidates) {
    const existing = candidate.contact as Contact;
    let asked = 0;
    for (const key of candidate.sharedKeys) asked |= keyRules.get(key) ?? 0;
    for (let number = 0; number < rules.length; number++) {
      if (!(asked & (1 << number))) continue;
      const { id: ruleId, rule } = rules[number]!;
      const finding = judged(ruleId, rule, incoming, existing);
      if (!finding) continue;
      const crmDisplayName = displayNameOf(existing);
      findings.push({
        ...finding,
        crmId: candidate.crmId,
        ...(crmDisplayName ? { crmDisplayName } : {}),
      });
    }
  }
  findings.sort((a, b) => strength(b.verdict) - strength(a.verdict));
  return { verdict: findings[0]?.verdict ?? 'none', findings };
}

/**
 * A rule that throws on one pair must not stop the batch, nor may it let a duplicate through
 * unseen: the pair becomes a possible duplicate that names the failure, for a person to look at.
 */
function judged(ruleId: string, rule: DedupeRule, incoming: Contact, existing: Contact) {
  try {
    const finding = rule.evaluate(incoming, existing);
    // Findings name a rule by the id it is registered under, whatever it calls itself.
    return finding ? { ...finding, ruleId } : undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const failed: DedupeFinding = {
      verdict: 'possible',
      ruleId,
      reason: `the rule ${ruleId} failed on this pair (${message}); check it by hand`,
      evidence: {},
    };
    return failed;
  }
}

/** Each blocking key of the contact, with the rules that gave it as bits (rule n is bit n). */
function keysByRule(contact: Contact, rules: readonly NamedRule[]): Map<string, number> {
  const keys = new Map<string, number>();
  rules.forEach(({ rule }, number) => {
    for (const key of rule.blockingKeys(contact)) keys.set(key, (keys.get(key) ?? 0) | (1 << number));
  });
  return keys;
}

/** Rules are told apart by bits of a 32-bit number and named by their ids in findings. */
function checkIds(rules: readonly NamedRule[]): void {
  if (rules.length > 31)
    throw new CrmsyncError(
      'CRMSYNC_ERR_CONFIG_INVALID',
      `at most 31 dedupe rules can be active, not ${rules.length}`,
    );
  const seen = new Set<string>();
  for (const { id } of rules) {
    if (seen.has(id))
      throw new CrmsyncError('CRMSYNC_ERR_CONTRIBUTION_DUPLICATE', 'two dedupe rules share an id', {
        recordId: id,
      });
    seen.add(id);
  }
}

function strength(verdict: DuplicateVerdict['verdict']): number {
  return verdict === 'sure' ? 2 : verdict === 'possible' ? 1 : 0;
}

function displayNameOf(contact: Contact | ContactJson): string | undefined {
  if (contact.displayName) return contact.displayName;
  const name = [contact.givenName, contact.surname].filter(Boolean).join(' ');
  return name || contact.company || undefined;
}

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
