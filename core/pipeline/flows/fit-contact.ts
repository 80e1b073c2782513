import type { Contact } from '../../domain/contact.js';
import { type FieldSupport, scalarFields } from '../../ports/field-support.js';

/**
 * The contact as a store can hold it: fields it has no place for are left out, lists cut to
 * what it keeps per type (preferred values first). Writing the rest would fail the whole
 * contact; left out, it stays on the side that has it, which a later sync knows from the
 * store's field support ("cannot hold", not "deleted").
 */
export function fittedTo(contact: Contact, support: FieldSupport): Contact {
  const fitted: Contact = { ...contact };
  const values = fitted as unknown as Record<string, unknown>;
  for (const field of scalarFields) if (!support.scalars.includes(field)) delete values[field];
  fitted.emails = preferredFirst(contact.emails).slice(0, support.emails);
  const phonesKept = new Map<string, number>();
  fitted.phones = preferredFirst(contact.phones).filter((phone) => {
    const kept = phonesKept.get(phone.type) ?? 0;
    if (kept >= (support.phones[phone.type] ?? 0)) return false;
    phonesKept.set(phone.type, kept + 1);
    return true;
  });
  const addressesKept = new Map<string, number>();
  fitted.addresses = contact.addresses
    .filter((address) => {
      const kept = addressesKept.get(address.type) ?? 0;
      if (kept >= (support.addresses[address.type] ?? 0)) return false;
      addressesKept.set(address.type, kept + 1);
      return true;
    })
    .map((address) => {
      const kept = { ...address };
      for (const part of ['street', 'postalCode', 'city', 'region', 'country'] as const)
        if (!support.addressParts.includes(part)) delete kept[part];
      return kept;
    });
  if (!support.categories) fitted.categories = [];
  if (!support.photo) delete fitted.photo;
  return fitted;
}

function preferredFirst<T extends { preferred?: boolean }>(values: readonly T[]): T[] {
  return [...values].sort((a, b) => Number(b.preferred === true) - Number(a.preferred === true));
}
