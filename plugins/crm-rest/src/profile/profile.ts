/**
 * A mapping profile: everything the crm-rest connector knows about one CRM's REST API. The
 * JSON Schema of this shape is the manifest's `contributes.configuration` (plugin.json).
 */

/** A JSON pointer into a CRM record, e.g. `/address/city`; `""` is the record itself. */
export type Pointer = string;

export type CrmValueType = 'string' | 'integer' | 'number' | 'boolean';

/** CRM value (as written in JSON, stringified for the key) → model value; `null` means "no value". */
export type ValueMap = Record<string, string | boolean | number | null>;

export interface ScalarMapping {
  path: Pointer;
  /** The JSON type of the value in the CRM; ids given as numbers use `integer`. */
  type?: CrmValueType;
  values?: ValueMap;
  /** Read from the CRM but never sent back (server-owned values). */
  readOnly?: boolean;
}

export type FieldMapping = Pointer | ScalarMapping;

/** A type taken from each list item through a value map, or one fixed type for the whole list. */
export type TypeSource = string | { path: Pointer; values: Record<string, string> };

export interface ValueListMapping {
  /** An array in the record; `value`, `type`, `preferred` point into its items. */
  list?: Pointer;
  value?: Pointer;
  type?: TypeSource;
  preferred?: Pointer;
  /** Items of the list whose type is not in the value map belong to another mapping (shared lists). */
  ignoreOtherTypes?: boolean;
  /** Fixed places in the record, one value each. */
  slots?: { path: Pointer; type: string }[];
}

export interface AddressFields {
  street?: Pointer;
  postalCode?: Pointer;
  city?: Pointer;
  region?: Pointer;
  country?: Pointer;
}

export interface AddressListMapping extends AddressFields {
  list?: Pointer;
  /**
   * How the CRM keeps an address's country: as written (`text`, the default) or as its ISO
   * 3166-1 alpha-2 code, into which a country name ("Deutschland", "Austria") is turned when
   * it is written.
   */
  countryFormat?: 'text' | 'iso-3166-alpha-2';
  type?: TypeSource;
  slots?: (AddressFields & { type: string })[];
}

export type ContactScalarField =
  | 'salutation'
  | 'title'
  | 'givenName'
  | 'middleName'
  | 'surname'
  | 'suffix'
  | 'nickname'
  | 'displayName'
  | 'company'
  | 'department'
  | 'jobTitle'
  | 'partnerId'
  | 'birthday'
  | 'notes'
  | 'website'
  | 'groupwareSync'
  | 'createdAt'
  | 'updatedAt';

export type IgnorableField =
  | Exclude<ContactScalarField, 'displayName' | 'groupwareSync' | 'createdAt' | 'updatedAt'>
  | 'emails'
  | 'phones'
  | 'addresses'
  | 'categories'
  | 'addresses.street'
  | 'addresses.postalCode'
  | 'addresses.city'
  | 'addresses.region'
  | 'addresses.country';

export interface ContactMappingProfile {
  /** An example record exactly as the CRM sends it: every mapping path must find something in it. */
  sample: Record<string, unknown>;
  id: FieldMapping;
  version?: FieldMapping;
  /** Model fields a record must have; missing ones make the record a reported problem. */
  required?: ContactScalarField[];
  fields: Partial<Record<ContactScalarField, FieldMapping>>;
  /**
   * Model fields the CRM has no place for and that may be dropped when writing. Any other
   * unmapped field with a value makes the write a mapping error, so nothing is lost silently.
   */
  ignore?: IgnorableField[];
  emails?: ValueListMapping;
  phones?: ValueListMapping;
  addresses?: AddressListMapping;
  categories?: Pointer;
  /** A boolean saying the contact has a photo (read from the photo endpoint on demand). */
  hasPhoto?: Pointer;
}

export interface PartnerMappingProfile {
  sample: Record<string, unknown>;
  id: FieldMapping;
  fields: Partial<Record<'name' | 'legalForm' | 'website' | 'phone' | 'updatedAt', FieldMapping>>;
  emailDomains?: Pointer;
  address?: AddressFields;
}

export type Auth =
  | { type: 'none' }
  | { type: 'apiKey'; header: string; key: string }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string };

export interface Paging {
  style: 'cursor' | 'page' | 'offset' | 'link' | 'none';
  /** Where the records are in a response body; `""` when the body is the array. */
  items: Pointer;
  sizeParam?: string;
  size?: number;
  cursorParam?: string;
  nextCursor?: Pointer;
  pageParam?: string;
  firstPage?: number;
  totalPages?: Pointer;
  offsetParam?: string;
  total?: Pointer;
}

export type QueryParam = string | { param: string; values?: Record<string, string | boolean> };

export interface Endpoint {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to baseUrl; `{id}` is replaced by the record id. */
  path: string;
  /** Sent with every request to this endpoint. */
  fixedParams?: Record<string, string>;
  /** Where the record is in the response body (`""` = the body). */
  record?: Pointer;
  /**
   * updateContact only: send back the record the contact was read from (carried in its
   * `crm-rest` extension, else read again) with the mapped fields replaced, so fields the
   * profile does not map survive a full-replacement PUT (default true).
   */
  preserveUnmapped?: boolean;
  /**
   * createContact only: the request header that carries the create's idempotency key
   * (e.g. `Idempotency-Key`), for CRMs that answer a repeated key with the first result.
   * With it, a create that failed on the way may be sent again safely.
   */
  idempotencyHeader?: string;
}

export interface ListEndpoint extends Endpoint {
  params?: Record<string, QueryParam>;
  paging?: Partial<Paging>;
}

export interface LookupEndpoint extends Endpoint {
  /** POST: where the list of values goes in the JSON body. */
  bodyField?: Pointer;
  /** GET: the query parameter, repeated once per value. */
  queryParam?: string;
  items: Pointer;
  batchSize?: number;
  /** Phones only: send E.164 (default) or as the caller gave them. */
  phoneFormat?: 'e164' | 'asGiven';
}

export interface ChangesEndpoint extends Endpoint {
  cursorParam: string;
  sizeParam?: string;
  size?: number;
  items: Pointer;
  nextCursor: Pointer;
  hasMore?: Pointer;
  kind: Pointer;
  deletedValues: string[];
  id: Pointer;
  record: Pointer;
}

export interface PhotoEndpoint extends Endpoint {
  encoding: 'binary' | 'base64';
  /** base64: where the data and media type are in the JSON body. */
  data?: Pointer;
  mediaType?: Pointer;
  /** How a photo is removed: DELETE (default) or not at all. */
  remove?: 'DELETE' | 'none';
}

export interface Profile {
  description?: string;
  name?: string;
  baseUrl: string;
  auth: Auth;
  timeoutMs?: number;
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  paging: Paging;
  concurrency?: { mode: 'ifMatch' | 'body'; header?: string; staleStatus?: number[] };
  errors?: { field?: Pointer; message?: Pointer };
  endpoints: {
    searchContacts: ListEndpoint;
    getContact: Endpoint;
    createContact?: Endpoint;
    updateContact?: Endpoint;
    deleteContact?: Endpoint;
    changes?: ChangesEndpoint;
    lookupByEmails?: LookupEndpoint;
    lookupByPhones?: LookupEndpoint;
    photo?: PhotoEndpoint;
    searchPartners?: ListEndpoint;
    getPartner?: Endpoint;
    /**
     * The contact a create with an idempotency key made (`{key}` in the path), 404 when none:
     * lets a resumed commit tell whether an interrupted create happened.
     */
    findCreated?: Endpoint;
  };
  contact: ContactMappingProfile;
  partner?: PartnerMappingProfile;
}
