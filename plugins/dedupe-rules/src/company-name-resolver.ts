import type { Contact, PartnerDirectory, PartnerResolver, PartnerSuggestion } from '../../../core/index.js';
import { companyKey } from './legal-forms.js';

/**
 * The partners whose name is the contact's company name, legal forms ignored: "Müller Bau
 * GmbH & Co. KG" on the contact finds the partner "Müller Bau GmbH", and also "MUELLER BAU".
 */
export class CompanyNameResolver implements PartnerResolver {
  async resolve(contact: Contact, directory: PartnerDirectory): Promise<PartnerSuggestion[]> {
    const company = contact.company?.trim() ?? '';
    const wanted = companyKey(company);
    if (!wanted) return [];
    const found = new Map<string, PartnerSuggestion>();
    // The directory searches by name as it can (prefix, contains); the exact choice is ours.
    for await (const partner of directory.searchPartners({ name: nameWithoutLegalForm(company) })) {
      if (found.has(partner.id) || companyKey(partner.name) !== wanted) continue;
      found.set(partner.id, { partner, reason: `company name "${company}" is the partner ${partner.name}` });
    }
    return [...found.values()];
  }
}

/**
 * The company name as written, cut before the first word that starts a legal form, so that a
 * directory searching by prefix or by substring finds the partner whatever form it carries.
 */
function nameWithoutLegalForm(company: string): string {
  const core: string[] = [];
  for (const word of company.split(/\s+/)) {
    if (/^[&+]$/.test(word) || (core.length > 0 && companyKey(`x ${word}`) === 'x')) break;
    core.push(word);
  }
  return core.join(' ') || company;
}
