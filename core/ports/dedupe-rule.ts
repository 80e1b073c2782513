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
 */
export interface DedupeRule {
  blockingKeys(contact: Contact): Iterable<string>;
  evaluate(candidate: Contact, existing: Contact): DedupeFinding | undefined;
}
export const DedupeRule = Symbol.for('crmsync.DedupeRule');
