import type { Contact } from '../domain/contact.js';

/** Why a rule considers two contacts the same person, naming the values it compared (I6). */
export interface DedupeFinding {
  verdict: 'sure' | 'possible';
  ruleId: string;
  reason: string;
  /** The values that matched, e.g. { email: 'anna@firma.de' }. */
  evidence: Record<string, string>;
}

/** A duplicate rule; the kernel asks every registered rule and keeps the strongest finding. */
export interface DedupeRule {
  evaluate(candidate: Contact, existing: Contact): DedupeFinding | undefined;
}
export const DedupeRule = Symbol.for('crmsync.DedupeRule');
