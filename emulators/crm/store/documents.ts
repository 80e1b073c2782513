/**
 * The reference CRM's JSON records as its API sends and receives them. The shape is the
 * CRM's own (codes, nested phone slots) and deliberately not crmsync's contact model: the
 * crm-rest connector maps between the two through its profile.
 */
export interface ContactEmailDoc {
  address: string;
  kind?: 'work' | 'private' | 'other';
  primary?: boolean;
}

export interface AddressDoc {
  street?: string;
  postalCode?: string;
  city?: string;
  country?: string;
}

export interface ContactDoc {
  id: string;
  partnerId: string;
  partnerName?: string;
  /** H = Herr, F = Frau, D = divers / no salutation. */
  salutationCode?: 'H' | 'F' | 'D';
  title?: string;
  firstName?: string;
  lastName: string;
  jobTitle?: string;
  department?: string;
  emails: ContactEmailDoc[];
  phones: { business?: string; mobile?: string; home?: string; fax?: string };
  address?: AddressDoc;
  homeAddress?: AddressDoc;
  birthday?: string;
  notes?: string;
  website?: string;
  groupwareSync: boolean;
  hasPhoto: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What a client may send on create or update; the server owns id, version and timestamps. */
export type ContactInput = Omit<
  ContactDoc,
  'id' | 'version' | 'createdAt' | 'updatedAt' | 'hasPhoto' | 'partnerName'
> &
  Partial<Pick<ContactDoc, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'hasPhoto' | 'partnerName'>>;

export interface PartnerDoc {
  id: string;
  name: string;
  legalForm?: string;
  emailDomains: string[];
  website?: string;
  phone?: string;
  address?: AddressDoc;
  updatedAt: string;
}

export interface PhotoDoc {
  mediaType: string;
  bytes: Uint8Array;
}
