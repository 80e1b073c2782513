import type { Contact } from '../../domain/contact.js';
import type { ContactJson } from '../../domain/contact-json.js';
import { CrmsyncError } from '../../domain/errors.js';
import type { DedupeFinding, DedupeRule } from '../../ports/dedupe-rule.js';
import type { CandidateEntry, CandidateIndex } from '../../store/state-store.js';
import type { DuplicateVerdict } from '../plan.js';
import { type NamedRule, profileOf } from './index-entry.js';

type Finding = DuplicateVerdict['findings'][number];

/**
 * Incoming contacts asked of the index at once: enough to amortise a query, few enough that
 * their candidates' profiles die young (some 50 candidates each at a million CRM contacts).
 */
const lookupChunk = 250;

/** What the engine derived of one incoming contact: its keys with the rules that gave them, and each rule's profile. */
interface Incoming {
  contact: Contact;
  /** Each blocking key with the rules that gave it as bits (rule n is bit n). */
  keyRules: Map<string, number>;
  /** Per rule, its profile of the contact; undefined when the rule offers none or failed on it. */
  profiles: unknown[];
}

/** A candidate pair worth judging in full, with the rules to judge it by (as bits). */
interface Pair {
  crmId: string;
  rules: number;
}

/**
 * One verdict per incoming contact, in order. Candidates come from the index by blocking
 * keys, never from all pairs; each candidate is judged by the rules whose keys it shares, and
 * the verdict is the strongest finding. A rule that offers profiles first says from them
 * whether a pair could be a duplicate at all; only the pairs some rule lets through are read
 * whole from the index and evaluated.
 */
export async function classifyContacts(
  incoming: readonly Contact[],
  rules: readonly NamedRule[],
  index: CandidateIndex,
): Promise<DuplicateVerdict[]> {
  checkIds(rules);
  const verdicts: DuplicateVerdict[] = [];
  /** Derives a chunk and asks the index for its candidates; the answer comes while the chunk before is judged. */
  const lookUp = (start: number) => {
    const chunk = incoming.slice(start, start + lookupChunk).map((contact) => derived(contact, rules));
    const answers = index.candidates(chunk.map(({ keyRules }) => [...keyRules.keys()]));
    // Awaited in its turn; a failure before then must not count as unhandled.
    answers.catch(() => undefined);
    return { chunk, answers };
  };
  let next = incoming.length > 0 ? lookUp(0) : undefined;
  for (let start = 0; next; start += lookupChunk) {
    const { chunk, answers: asked } = next;
    const answers = await asked;
    next = start + lookupChunk < incoming.length ? lookUp(start + lookupChunk) : undefined;
    const pairs = chunk.map((contact, at) => pairsToJudge(contact, answers[at] ?? [], rules));
    const wanted = new Set<string>();
    for (const ofContact of pairs) for (const { crmId } of ofContact) wanted.add(crmId);
    const existing = await index.contacts([...wanted]);
    chunk.forEach(({ contact }, at) => {
      verdicts.push(verdictOf(contact, pairs[at]!, existing, rules));
    });
  }
  return verdicts;
}

function derived(contact: Contact, rules: readonly NamedRule[]): Incoming {
  const keyRules = new Map<string, number>();
  const profiles = rules.map(({ rule }, number) => {
    // The profile first: a rule may derive its keys from it rather than from the contact again.
    const profile = profileOf(rule, contact);
    for (const key of rule.blockingKeys(contact)) keyRules.set(key, (keyRules.get(key) ?? 0) | (1 << number));
    return profile;
  });
  return { contact, keyRules, profiles };
}

/**
 * The candidates worth judging in full, in the index's order, each with the rules to judge it
 * by: the rules that gave one of the keys it shares (a rule promises a key to every pair it
 * could accept, so the others need not look), less those whose profiles rule the pair out.
 * Keys are prefixed by their kind (`email:`), so two rules giving the same key mean the same
 * thing by it.
 */
function pairsToJudge(
  { keyRules, profiles }: Incoming,
  candidates: readonly CandidateEntry[],
  rules: readonly NamedRule[],
): Pair[] {
  const pairs: Pair[] = [];
  for (const candidate of candidates) {
    let asked = 0;
    for (const key of candidate.sharedKeys) asked |= keyRules.get(key) ?? 0;
    for (let number = 0; number < rules.length; number++) {
      if (!(asked & (1 << number))) continue;
      const { id, rule } = rules[number]!;
      if (ruledOut(rule, profiles[number], candidate.profiles[id])) asked &= ~(1 << number);
    }
    if (asked !== 0) pairs.push({ crmId: candidate.crmId, rules: asked });
  }
  return pairs;
}

/** Only a rule's own answer rules a pair out; without both profiles, or when it fails, the pair is judged in full. */
function ruledOut(rule: DedupeRule, mine: unknown, theirs: unknown): boolean {
  if (mine === undefined || theirs === undefined || !rule.mayMatch) return false;
  try {
    return !rule.mayMatch(mine, theirs);
  } catch {
    return false;
  }
}

function verdictOf(
  incoming: Contact,
  pairs: readonly Pair[],
  existing: ReadonlyMap<string, ContactJson>,
  rules: readonly NamedRule[],
): DuplicateVerdict {
  const findings: Finding[] = [];
  for (const { crmId, rules: asked } of pairs) {
    // A contact the index let go since it named the candidate has left the CRM.
    const crmContact = existing.get(crmId) as Contact | undefined;
    if (!crmContact) continue;
    for (let number = 0; number < rules.length; number++) {
      if (!(asked & (1 << number))) continue;
      const { id: ruleId, rule } = rules[number]!;
      const finding = judged(ruleId, rule, incoming, crmContact);
      if (!finding) continue;
      const crmDisplayName = displayNameOf(crmContact);
      findings.push({ ...finding, crmId, ...(crmDisplayName ? { crmDisplayName } : {}) });
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
