import type { BusinessPartner, Contact } from '../domain/contact.js';
import type { CrmPartnerQuery } from './crm-connector.js';

export interface PartnerSuggestion {
  partner: BusinessPartner;
  /** Why this partner, e.g. "e-mail domain firma.de belongs to Firma GmbH". */
  reason: string;
}

/** The CRM's business partners as a resolver may search them. */
export interface PartnerDirectory {
  searchPartners(query: CrmPartnerQuery): AsyncIterable<BusinessPartner>;
}

/**
 * Proposes the business partner an imported contact belongs to (I5). A resolver answers
 * every partner its evidence fits: one is a suggestion, two or more mean it cannot tell, and
 * the engine then pre-assigns none and offers them to the user.
 */
export interface PartnerResolver {
  resolve(contact: Contact, directory: PartnerDirectory): Promise<PartnerSuggestion[]>;
}
export const PartnerResolver = Symbol.for('crmsync.PartnerResolver');
