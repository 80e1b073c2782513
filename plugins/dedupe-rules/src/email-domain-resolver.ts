import type {
  BusinessPartner,
  Contact,
  PartnerDirectory,
  PartnerResolver,
  PartnerSuggestion,
} from '../../../core/index.js';
import { emailKeysOf } from './contact-keys.js';
import { splitAddress } from './email-parts.js';
import { isFreeMailDomain } from './free-mail-domains.js';

/**
 * The partners whose e-mail domains include the domain of one of the contact's addresses.
 * Free-mail domains (gmail.com, web.de, …) belong to no company and never suggest one.
 */
export class EmailDomainResolver implements PartnerResolver {
  async resolve(contact: Contact, directory: PartnerDirectory): Promise<PartnerSuggestion[]> {
    const domains = new Set(
      emailKeysOf(contact)
        .map((address) => splitAddress(address).domain)
        .filter((domain) => domain && !isFreeMailDomain(domain)),
    );
    const found = new Map<string, PartnerSuggestion>();
    for (const domain of domains) {
      for await (const partner of directory.searchPartners({ domain })) {
        // A directory may search loosely; only a partner that lists the domain itself fits.
        if (found.has(partner.id) || !ownsDomain(partner, domain)) continue;
        found.set(partner.id, { partner, reason: `e-mail domain ${domain} belongs to ${partner.name}` });
      }
    }
    return [...found.values()];
  }
}

function ownsDomain(partner: BusinessPartner, domain: string): boolean {
  return (partner.emailDomains ?? []).some((own) => own.trim().toLowerCase() === domain);
}
