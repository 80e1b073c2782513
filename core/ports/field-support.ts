import type { AddressType, Contact, PhoneType } from '../domain/contact.js';

/** The single-valued fields of the contact model that a store may or may not hold. */
export const scalarFields = [
  'salutation',
  'title',
  'givenName',
  'middleName',
  'surname',
  'suffix',
  'nickname',
  'displayName',
  'company',
  'department',
  'jobTitle',
  'partnerId',
  'birthday',
  'notes',
  'website',
  'groupwareSync',
] as const satisfies readonly (keyof Contact)[];
export type ScalarField = (typeof scalarFields)[number];

/**
 * Fields that live in the CRM only: the business partner and the CRM's own sync flag (S2).
 * The sync acts on them itself and never merges them, and no groupware holds them.
 */
export const crmOnlyScalars = ['partnerId', 'groupwareSync'] as const satisfies readonly ScalarField[];

/**
 * What one side can hold, so the engine can tell "this side cannot hold it" from "the user
 * deleted it": a fourth e-mail address that Outlook drops on a round trip was never deleted.
 * Counts are upper bounds; `Infinity` means no limit.
 */
export interface FieldSupport {
  scalars: readonly ScalarField[];
  /** How many e-mail addresses, whatever their type. */
  emails: number;
  /** How many phone numbers of each type; a type not named cannot be held. */
  phones: Readonly<Partial<Record<PhoneType, number>>>;
  /** How many postal addresses of each type; a type not named cannot be held. */
  addresses: Readonly<Partial<Record<AddressType, number>>>;
  /** Address parts a held address keeps (e.g. no `region` in a CRM without one). */
  addressParts: readonly ('street' | 'postalCode' | 'city' | 'region' | 'country')[];
  categories: boolean;
  photo: boolean;
}

/** A store that keeps every field of the model (a vCard file). */
export const everyField: FieldSupport = {
  scalars: scalarFields,
  emails: Number.POSITIVE_INFINITY,
  phones: {
    business: Number.POSITIVE_INFINITY,
    mobile: Number.POSITIVE_INFINITY,
    home: Number.POSITIVE_INFINITY,
    businessFax: Number.POSITIVE_INFINITY,
    homeFax: Number.POSITIVE_INFINITY,
    pager: Number.POSITIVE_INFINITY,
    other: Number.POSITIVE_INFINITY,
  },
  addresses: {
    business: Number.POSITIVE_INFINITY,
    home: Number.POSITIVE_INFINITY,
    other: Number.POSITIVE_INFINITY,
  },
  addressParts: ['street', 'postalCode', 'city', 'region', 'country'],
  categories: true,
  photo: true,
};

/** A groupware store that keeps every field an address book has (a vCard file): all but the CRM's own. */
export const everyGroupwareField: FieldSupport = {
  ...everyField,
  scalars: scalarFields.filter((field) => !(crmOnlyScalars as readonly string[]).includes(field)),
};
