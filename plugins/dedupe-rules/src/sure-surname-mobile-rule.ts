import type { CountryCode } from 'libphonenumber-js';
import type { Contact, DedupeFinding, DedupeRule } from '../../../core/index.js';
import { phoneKeysOf } from './contact-keys.js';
import { foldedName } from './person-profile.js';

/**
 * Sure duplicate: the same surname (case, accents, ä/ae, ö/oe, ü/ue and ß/ss unified) and
 * the same mobile number in E.164, so "Müller, 0171/9876543" is "Mueller, +49 171 9876543".
 */
export class SureSurnameMobileRule implements DedupeRule {
  constructor(
    private readonly region: CountryCode = 'DE',
    private readonly ruleId = 'sure-surname-mobile',
  ) {}

  blockingKeys(contact: Contact): string[] {
    const surname = foldedName(contact.surname);
    if (!surname) return [];
    return this.mobilesOf(contact).map((mobile) => `sn+mobile:${surname}|${mobile}`);
  }

  evaluate(candidate: Contact, existing: Contact): DedupeFinding | undefined {
    const surname = foldedName(candidate.surname);
    if (!surname || surname !== foldedName(existing.surname)) return undefined;
    const theirs = new Set(this.mobilesOf(existing));
    const mobile = this.mobilesOf(candidate).find((number) => theirs.has(number));
    if (!mobile) return undefined;
    return {
      verdict: 'sure',
      ruleId: this.ruleId,
      reason: `same surname (${candidate.surname} / ${existing.surname}) and same mobile number ${mobile}`,
      evidence: { surname: `${candidate.surname} / ${existing.surname}`, mobile },
    };
  }

  private mobilesOf(contact: Contact): string[] {
    return phoneKeysOf(contact, this.region, ['mobile']);
  }
}
