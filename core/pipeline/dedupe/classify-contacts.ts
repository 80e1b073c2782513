import type { Contact } from '../../domain/contact.js';
import type { ContactJson } from '../../domain/contact-json.js';
import { CrmsyncError } from '../../domain/errors.js';
import type { DedupeFinding, DedupeRule } from '../../ports/dedupe-rule.js';
import type { CandidateIndex, RuleScreen, ScreenedPair, ScreenQuery } from '../../store/state-store.js';
import type { DuplicateVerdict } from '../plan.js';
import { type NamedRule, profileOf } from './index-entry.js';

type Finding = DuplicateVerdict['findings'][number];

/**
 * Incoming contacts asked of the index at once: enough to amortise a query, few enough that
 * their candidates' profiles die young (some 35 candidates each at a million CRM contacts).
 */
const lookupChunk = 250;
/** Chunks asked ahead of the one being judged, so an index with threads of its own keeps them busy. */
const chunksAhead = 2;

/** What the engine derived of one incoming contact: its keys with the rules that gave them, and each rule's profile. */
interface Incoming {
  contact: Contact;
  query: ScreenQuery;
}

/**
 * One verdict per incoming contact, in order. Candidates come from the index by blocking
 * keys, never from all pairs; each candidate is judged by the rules whose keys it shares, and
 * the verdict is the strongest finding. A rule that offers profiles first says from them
 * whether a pair could be a duplicate at all (the index screens with it, on threads of its
 * own where it has them and the rule names its screen module); only the pairs some rule lets
 * through are read whole from the index and evaluated.
 */
export async function classifyContacts(
  incoming: readonly Contact[],
  rules: readonly NamedRule[],
  index: CandidateIndex,
): Promise<DuplicateVerdict[]> {
  checkIds(rules);
  const screens: RuleScreen[] = rules.map(({ id, rule }) => ({
    id,
    ...(rule.mayMatch ? { mayMatch: rule.mayMatch.bind(rule) } : {}),
    ...(rule.screenModule ? { module: rule.screenModule } : {}),
  }));
  /** Derives a chunk and asks the index to screen its candidates while the chunks before are judged. */
  const ask = (start: number) => {
    const chunk = incoming.slice(start, start + lookupChunk).map((contact) => derived(contact, rules));
    const pairs = index.screen(
      chunk.map(({ query }) => query),
      screens,
    );
    // Awaited in its turn; a failure before then must not count as unhandled.
    pairs.catch(() => undefined);
    return { chunk, pairs };
  };
  const asked: ReturnType<typeof ask>[] = [];
  let next = 0;
  const askAhead = () => {
    while (asked.length < chunksAhead && next < incoming.length) {
      asked.push(ask(next));
      next += lookupChunk;
    }
  };
  askAhead();
  const verdicts: DuplicateVerdict[] = [];
  while (asked.length > 0) {
    const { chunk, pairs: screened } = asked.shift()!;
    const pairs = await screened;
    askAhead();
    const wanted = new Set<string>();
    for (const ofContact of pairs) for (const { crmId } of ofContact) wanted.add(crmId);
    const existing = await index.contacts([...wanted]);
    chunk.forEach(({ contact }, at) => {
      verdicts.push(verdictOf(contact, pairs[at] ?? [], existing, rules));
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
  return { contact, query: { keys: [...keyRules.keys()], keyRules: [...keyRules.values()], profiles } };
}

function verdictOf(
  incoming: Contact,
  pairs: readonly ScreenedPair[],
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
