import type { Contact, DedupeFinding, DedupeRule } from '../../../core/index.js';
import { personalEmailKeysOf } from './contact-keys.js';

/**
 * Sure duplicate: an e-mail address both contacts have, compared trimmed and in any case. A
 * shared office address (info@, office@) is not a person's and proves nothing here.
 */
export class SureEmailRule implements DedupeRule {
  constructor(private readonly ruleId = 'sure-email') {}

  blockingKeys(contact: Contact): string[] {
    return personalEmailKeysOf(contact).map((address) => `email:${address}`);
  }

  evaluate(candidate: Contact, existing: Contact): DedupeFinding | undefined {
    const theirs = new Set(personalEmailKeysOf(existing));
    const shared = personalEmailKeysOf(candidate).find((address) => theirs.has(address));
    if (!shared) return undefined;
    return {
      verdict: 'sure',
      ruleId: this.ruleId,
      reason: `same e-mail address ${shared}`,
      evidence: { email: shared },
    };
  }
}
