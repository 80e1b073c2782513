import {
  type AddressType,
  addressTypes,
  type FieldSupport,
  type PhoneType,
  phoneTypes,
  type ScalarField,
  scalarFields,
} from '../../../core/index.js';
import { normaliseMapping } from './mapping/scalar.js';
import { addressParts } from './mapping/value-lists.js';
import type { AddressListMapping, Profile, TypeSource, ValueListMapping } from './profile/profile.js';

/** How many values of each model type a list or slot mapping holds. */
function perType<T extends string>(
  mapping: ValueListMapping | AddressListMapping | undefined,
  known: readonly T[],
  fallback: T,
): Partial<Record<T, number>> {
  const counts: Partial<Record<T, number>> = {};
  if (!mapping) return counts;
  for (const slot of mapping.slots ?? []) {
    if (known.includes(slot.type as T)) counts[slot.type as T] = (counts[slot.type as T] ?? 0) + 1;
  }
  if (mapping.list !== undefined) {
    for (const type of listTypes(mapping.type, fallback)) {
      if (known.includes(type as T)) counts[type as T] = Number.POSITIVE_INFINITY;
    }
  }
  return counts;
}

function listTypes(type: TypeSource | undefined, fallback: string): string[] {
  if (type === undefined) return [fallback];
  if (typeof type === 'string') return [type];
  return [...new Set(Object.values(type.values))];
}

function total(counts: Partial<Record<string, number>>): number {
  return Object.values(counts).reduce<number>((sum, count) => sum + (count ?? 0), 0);
}

/**
 * What the CRM can hold, as the profile maps it: the engine tells "the CRM cannot hold it" from
 * "the user deleted it" by this. Read-only fields (filled by the CRM, such as the company taken
 * from the business partner) and fields under `contact.ignore` cannot hold a value crmsync writes.
 */
export function fieldSupportOf(profile: Profile): FieldSupport {
  const contact = profile.contact;
  const ignored = new Set<string>(contact.ignore ?? []);
  const scalars = scalarFields.filter((field: ScalarField) => {
    const mapping = contact.fields[field];
    return mapping !== undefined && !ignored.has(field) && !normaliseMapping(mapping).readOnly;
  });
  const emails = ignored.has('emails')
    ? 0
    : total(perType(contact.emails, ['work', 'home', 'other'], 'work'));
  const phones: Partial<Record<PhoneType, number>> = ignored.has('phones')
    ? {}
    : perType(contact.phones, phoneTypes, 'business');
  const addresses: Partial<Record<AddressType, number>> = ignored.has('addresses')
    ? {}
    : perType(contact.addresses, addressTypes, 'business');
  const mapped = contact.addresses
    ? [contact.addresses, ...(contact.addresses.slots ?? [])].flatMap((source) =>
        addressParts.filter((part) => source[part] !== undefined),
      )
    : [];
  return {
    scalars,
    emails,
    phones,
    addresses,
    addressParts: addressParts.filter((part) => mapped.includes(part) && !ignored.has(`addresses.${part}`)),
    categories: contact.categories !== undefined && !ignored.has('categories'),
    photo: profile.endpoints.photo !== undefined,
  };
}
