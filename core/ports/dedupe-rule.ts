import type { Contact } from '../domain/contact.js';

/** Why a rule considers two contacts the same person, naming the values it compared (I6). */
export interface DedupeFinding {
  verdict: 'sure' | 'possible';
  ruleId: string;
  reason: string;
  /** The values that matched, e.g. { email: 'anna@firma.de' }. */
  evidence: Record<string, string>;
}

/**
 * A duplicate rule. The engine indexes the CRM's contacts by every rule's blocking keys and
 * asks a rule to judge only pairs that share one of its keys, never all pairs: a rule must
 * give a key to every pair it could call duplicates. Keys are built from the match keys in
 * `core/domain/match-keys.ts` and prefixed by the rule's kind of key (`email:`, `sn+mobile:`).
 *
 * A large import meets hundreds of thousands of candidate pairs, of which few are duplicates.
 * A rule whose keys let many through (a name's sound) and that can rule pairs out from what
 * it derived of each contact (its profile) offers `profile` and `mayMatch`: the index keeps
 * each CRM contact's profile, the engine asks `mayMatch` first, and only the pairs it lets
 * through are read whole and given to `evaluate`. A rule whose shared key already is its
 * match (the same e-mail address) gains nothing by one; its pairs are evaluated directly.
 */
export interface DedupeRule<Profile = unknown> {
  blockingKeys(contact: Contact): Iterable<string>;
  evaluate(candidate: Contact, existing: Contact): DedupeFinding | undefined;
  /**
   * What the rule compares of a contact, derived once: a JSON value (the index stores it as
   * JSON and hands it back parsed), the same for a contact as for its JSON copy.
   */
  profile?(contact: Contact): Profile;
  /**
   * Whether `evaluate` could find anything for the pair, judged from the two profiles alone.
   * `false` must mean that `evaluate` gives no finding; `true` costs only an `evaluate`.
   */
  mayMatch?(candidate: Profile, existing: Profile): boolean;
  /**
   * The URL of a module whose export `mayMatch(candidate, existing)` answers exactly as this
   * rule's `mayMatch` does, needing nothing of the rule object: the candidate index may then
   * screen pairs on threads of its own, where it reads the profiles.
   */
  readonly screenModule?: string;
}
export const DedupeRule = Symbol.for('crmsync.DedupeRule');
