import type { Contact } from '../../domain/contact.js';
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

/**
 * Index keys carry the id of the rule that gave them, so a candidate is judged only by the
 * rules it shares a key with: contribution ids never contain a slash, so the first one
 * separates the id from the rule's own key.
 */
const ruleKeySeparator = '/';

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
  return { crmId, contact: withoutPhotoBytes(contact), keys: keysOf(contact, rules) };
}

/**
 * The order-independent name of a rule set, kept with the index: when the rules change, the
 * stored keys no longer fit and the index is rebuilt.
 */
export function rulesFingerprint(rules: readonly NamedRule[]): string {
  return rules
    .map((rule) => rule.id)
    .sort()
    .join(',');
}

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
  const byId = rulesById(rules);
  const verdicts: DuplicateVerdict[] = [];
  for (let start = 0; start < incoming.length; start += lookupChunk) {
    const chunk = incoming.slice(start, start + lookupChunk);
    const answers = await index.candidates(chunk.map((contact) => keysOf(contact, rules)));
    chunk.forEach((contact, at) => {
      verdicts.push(verdictOf(contact, answers[at] ?? [], byId));
    });
  }
  return verdicts;
}

function verdictOf(
  incoming: Contact,
  candidates: readonly { crmId: string; contact: ContactJson; sharedKeys: string[] }[],
  rules: ReadonlyMap<string, DedupeRule>,
): DuplicateVerdict {
  const findings: Finding[] = [];
  for (const candidate of candidates) {
    const existing = candidate.contact as Contact;
    for (const ruleId of rulesSharing(candidate.sharedKeys)) {
      const rule = rules.get(ruleId);
      if (!rule) continue;
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
    return finding ? { ...finding, ruleId: finding.ruleId || ruleId } : undefined;
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

function keysOf(contact: Contact, rules: readonly NamedRule[]): string[] {
  const keys = new Set<string>();
  for (const { id, rule } of rules) {
    for (const key of rule.blockingKeys(contact)) keys.add(`${id}${ruleKeySeparator}${key}`);
  }
  return [...keys];
}

function rulesSharing(sharedKeys: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const key of sharedKeys) {
    const end = key.indexOf(ruleKeySeparator);
    if (end > 0) ids.add(key.slice(0, end));
  }
  return ids;
}

function rulesById(rules: readonly NamedRule[]): Map<string, DedupeRule> {
  const byId = new Map<string, DedupeRule>();
  for (const { id, rule } of rules) {
    if (id.includes(ruleKeySeparator) || byId.has(id))
      throw new CrmsyncError(
        'CRMSYNC_ERR_CONTRIBUTION_DUPLICATE',
        `dedupe rule ids must be unique and free of "${ruleKeySeparator}"`,
        { recordId: id },
      );
    byId.set(id, rule);
  }
  return byId;
}

function strength(verdict: DuplicateVerdict['verdict']): number {
  return verdict === 'sure' ? 2 : verdict === 'possible' ? 1 : 0;
}

function displayNameOf(contact: Contact | ContactJson): string | undefined {
  if (contact.displayName) return contact.displayName;
  const name = [contact.givenName, contact.surname].filter(Boolean).join(' ');
  return name || contact.company || undefined;
}

function withoutPhotoBytes(contact: Contact): ContactJson {
  const { photo, ...rest } = contact;
  if (!photo) return rest;
  return { ...rest, photo: { mediaType: photo.mediaType, ...(photo.hash ? { hash: photo.hash } : {}) } };
}
