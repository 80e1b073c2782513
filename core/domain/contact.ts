/**
 * The neutral contact model every connector maps to. Field names follow what CRM contact
 * persons, Outlook contacts and vCards share, so the engine can compare field by field.
 */
/** Every e-mail type, for connectors that must check a type they were sent. */
export const emailTypes = ['work', 'home', 'other'] as const;
export type EmailType = (typeof emailTypes)[number];
export interface EmailAddress {
  address: string;
  type: EmailType;
  preferred?: boolean;
}

export const phoneTypes = ['business', 'mobile', 'home', 'businessFax', 'homeFax', 'pager', 'other'] as const;
export type PhoneType = (typeof phoneTypes)[number];
export interface PhoneNumber {
  /** As entered by a person; never rewritten, so a round trip keeps the user's formatting. */
  number: string;
  type: PhoneType;
  /** E.164 form for matching, when the number can be parsed. */
  e164?: string;
  preferred?: boolean;
}

export const addressTypes = ['business', 'home', 'other'] as const;
export type AddressType = (typeof addressTypes)[number];
export interface PostalAddress {
  type: AddressType;
  street?: string;
  postalCode?: string;
  city?: string;
  region?: string;
  country?: string;
}

export interface Photo {
  /** e.g. image/jpeg, image/png */
  mediaType: string;
  /** Inline bytes; absent when the source only gives a reference. */
  bytes?: Uint8Array;
  /** A reference (URL) that crmsync keeps but never fetches. */
  url?: string;
  /** Content hash (hex SHA-256 of the bytes) used to notice a changed photo. */
  hash?: string;
}

export interface ContactIdentity {
  crmId?: string;
  groupwareId?: string;
  /** CRM optimistic-concurrency token. */
  crmVersion?: string;
  /** Graph changeKey, vCard content hash, … */
  groupwareVersion?: string;
  /** A stable UID (vCard) that survives a re-import. */
  uid?: string;
}

export interface Contact {
  salutation?: string;
  /** Academic title such as "Dr." or "Prof. Dr." */
  title?: string;
  givenName?: string;
  middleName?: string;
  surname?: string;
  suffix?: string;
  nickname?: string;
  /** Derived from the name parts unless a source insists on its own. */
  displayName?: string;

  company?: string;
  department?: string;
  jobTitle?: string;
  /** CRM business partner (Geschäftspartner) id. */
  partnerId?: string;

  emails: EmailAddress[];
  phones: PhoneNumber[];
  addresses: PostalAddress[];

  /** ISO date `YYYY-MM-DD`, or `--MM-DD` when the year is unknown. */
  birthday?: string;
  notes?: string;
  categories: string[];
  website?: string;
  photo?: Photo;

  ids: ContactIdentity;
  /** CRM side: whether the contact is synchronised with the groupware (S2). */
  groupwareSync?: boolean;
  /** ISO timestamps as the source reports them. */
  createdAt?: string;
  updatedAt?: string;

  /**
   * Connector-private data kept for a faithful round trip (unknown vCard properties, Graph
   * fields crmsync does not map). Other connectors ignore it.
   */
  extensions?: Record<string, unknown>;
}

/** The name parts in the order a person is addressed: "Herr Dr. Hans Peter Müller jun.". */
export function personName(
  contact: Pick<Contact, 'salutation' | 'title' | 'givenName' | 'middleName' | 'surname' | 'suffix'>,
): string {
  return [
    contact.salutation,
    contact.title,
    contact.givenName,
    contact.middleName,
    contact.surname,
    contact.suffix,
  ]
    .filter(Boolean)
    .join(' ');
}

/** Contact lists a partial record (JSON, a snapshot) may leave out, filled in empty. */
export function withContactLists<
  T extends Partial<Pick<Contact, 'emails' | 'phones' | 'addresses' | 'categories' | 'ids'>>,
>(partial: T): T & Pick<Contact, 'emails' | 'phones' | 'addresses' | 'categories' | 'ids'> {
  return {
    ...partial,
    emails: partial.emails ?? [],
    phones: partial.phones ?? [],
    addresses: partial.addresses ?? [],
    categories: partial.categories ?? [],
    ids: partial.ids ?? {},
  };
}

export function emptyContact(): Contact {
  return { emails: [], phones: [], addresses: [], categories: [], ids: {} };
}

export interface BusinessPartner {
  id: string;
  name: string;
  legalForm?: string;
  emailDomains: string[];
  website?: string;
  phone?: string;
  address?: Omit<PostalAddress, 'type'>;
  updatedAt?: string;
}
