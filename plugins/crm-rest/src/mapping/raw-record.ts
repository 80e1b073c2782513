import type { Contact } from '../../../../core/index.js';

/** Where a contact read through crm-rest keeps what the CRM sent. */
export const extensionKey = 'crm-rest';

/**
 * The CRM record a contact was read from, carried with it so that an update can send back the
 * fields the profile does not map without reading the record again first.
 */
export interface CrmRestExtension {
  record: Record<string, unknown>;
  /**
   * Whether the CRM says the contact has a photo (read from the photo endpoint on demand);
   * absent when the profile does not map it, so the engine knows to ask.
   */
  hasPhoto?: boolean;
}

export function extensionOf(contact: Contact): CrmRestExtension | undefined {
  const extension = contact.extensions?.[extensionKey] as Partial<CrmRestExtension> | undefined;
  const record = extension?.record;
  return record && typeof record === 'object' && !Array.isArray(record)
    ? (extension as CrmRestExtension)
    : undefined;
}
