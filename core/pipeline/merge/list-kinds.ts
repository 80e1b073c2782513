import type { Contact } from '../../domain/contact.js';
import { emailKey, toE164 } from '../../domain/match-keys.js';
import type { FieldSupport } from '../../ports/field-support.js';

export type ListField = 'emails' | 'phones' | 'addresses' | 'categories';

/** One element of a multi-valued field, as plain attributes. */
export type ListElement = Record<string, unknown>;

/**
 * How the elements of one multi-valued field are told apart and counted: an element is the
 * same on both sides when its identity is (an e-mail address whatever its case, a phone number
 * whatever its formatting, an address by its type), and a side holds as many elements of a
 * bucket as its field support allows.
 */
export interface ListKind {
  field: ListField;
  attributes: readonly string[];
  identity(element: ListElement): string;
  bucket(element: ListElement): string;
  capacity(support: FieldSupport, bucket: string): number;
  holdsAttribute(support: FieldSupport, attribute: string): boolean;
  read(contact: Pick<Contact, ListField>): ListElement[];
  write(elements: readonly ListElement[]): Contact[ListField];
}

// `preferred: false` and no flag at all mean the same; only a set flag is an attribute.
const flag = (value: boolean | undefined): true | undefined => (value ? true : undefined);

function withoutUndefined(element: ListElement): ListElement {
  const clean: ListElement = {};
  for (const [key, value] of Object.entries(element))
    if (value !== undefined && value !== '') clean[key] = value;
  return clean;
}

const emails: ListKind = {
  field: 'emails',
  attributes: ['address', 'type', 'preferred'],
  identity: (element) => emailKey(String(element.address ?? '')),
  bucket: () => '',
  capacity: (support) => support.emails,
  holdsAttribute: () => true,
  read: (contact) =>
    contact.emails.map((email) => ({
      address: email.address,
      type: email.type,
      preferred: flag(email.preferred),
    })),
  write: (elements) => elements.map((element) => withoutUndefined(element)) as unknown as Contact['emails'],
};

const phones: ListKind = {
  field: 'phones',
  attributes: ['number', 'type', 'preferred'],
  identity: (element) => {
    const number = String(element.number ?? '');
    return toE164(number) ?? number.replace(/[^\d+]/g, '');
  },
  bucket: (element) => String(element.type),
  capacity: (support, bucket) => support.phones[bucket as keyof FieldSupport['phones']] ?? 0,
  holdsAttribute: () => true,
  read: (contact) =>
    contact.phones.map((phone) => ({
      number: phone.number,
      type: phone.type,
      preferred: flag(phone.preferred),
    })),
  write: (elements) =>
    elements.map((element) => {
      const phone = withoutUndefined(element);
      const e164 = toE164(String(phone.number));
      return e164 ? { ...phone, e164 } : phone;
    }) as unknown as Contact['phones'],
};

const addressParts = ['street', 'postalCode', 'city', 'region', 'country'] as const;

const addresses: ListKind = {
  field: 'addresses',
  attributes: ['type', ...addressParts],
  identity: (element) => String(element.type),
  bucket: (element) => String(element.type),
  capacity: (support, bucket) => support.addresses[bucket as keyof FieldSupport['addresses']] ?? 0,
  holdsAttribute: (support, attribute) =>
    attribute === 'type' || support.addressParts.includes(attribute as (typeof addressParts)[number]),
  read: (contact) => contact.addresses.map((address) => ({ ...address })),
  write: (elements) =>
    elements.map((element) => withoutUndefined(element)) as unknown as Contact['addresses'],
};

const categories: ListKind = {
  field: 'categories',
  attributes: ['name'],
  identity: (element) => String(element.name).trim().toLowerCase(),
  bucket: () => '',
  capacity: (support) => (support.categories ? Number.POSITIVE_INFINITY : 0),
  holdsAttribute: () => true,
  read: (contact) => contact.categories.map((name) => ({ name })),
  write: (elements) => elements.map((element) => String(element.name)),
};

export const listKinds: readonly ListKind[] = [emails, phones, addresses, categories];
