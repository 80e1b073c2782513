import type { BusinessPartner, Contact } from '../domain/contact.js';

export interface PartnerSuggestion {
  partner: BusinessPartner;
  /** Why this partner, e.g. "e-mail domain firma.de belongs to Firma GmbH". */
  reason: string;
}

/** Proposes the business partner an imported contact belongs to (I5). */
export interface PartnerResolver {
  resolve(contact: Contact): Promise<PartnerSuggestion | undefined>;
}
export const PartnerResolver = Symbol.for('crmsync.PartnerResolver');
