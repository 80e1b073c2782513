import { badRequest } from '../api/graph-error.js';

/** The writable properties of Graph's contact resource, in the order the service answers with them. */
export const contactProperties = [
  'birthday',
  'fileAs',
  'displayName',
  'givenName',
  'initials',
  'middleName',
  'nickName',
  'surname',
  'title',
  'yomiGivenName',
  'yomiSurname',
  'yomiCompanyName',
  'generation',
  'emailAddresses',
  'imAddresses',
  'jobTitle',
  'companyName',
  'department',
  'officeLocation',
  'profession',
  'businessHomePage',
  'assistantName',
  'manager',
  'homePhones',
  'mobilePhone',
  'businessPhones',
  'homeAddress',
  'businessAddress',
  'otherAddress',
  'spouseName',
  'personalNotes',
  'children',
] as const;

const collections = new Set(['emailAddresses', 'imAddresses', 'homePhones', 'businessPhones', 'children']);
const addresses = new Set(['homeAddress', 'businessAddress', 'otherAddress']);
const addressParts = new Set(['street', 'city', 'state', 'countryOrRegion', 'postalCode']);
/** Read-only or server-set properties a client may send back unchanged; they are ignored. */
const ignored = new Set([
  'id',
  'changeKey',
  'createdDateTime',
  'lastModifiedDateTime',
  '@odata.etag',
  '@odata.context',
]);
/** Outlook's limits on multi-value properties, as the service words a breach. */
const maxEntries: Record<string, number> = { emailAddresses: 3, businessPhones: 2, homePhones: 2 };
const spelling: Record<string, string> = {
  emailAddresses: 'EmailAddresses',
  businessPhones: 'BusinessPhones',
  homePhones: 'HomePhones',
};

export type ContactData = Record<string, unknown>;

export function emptyValue(property: string): unknown {
  if (collections.has(property)) return [];
  if (addresses.has(property)) return {};
  return null;
}

/**
 * The contact properties of a POST or PATCH body, checked as Graph checks them; extended
 * properties and the parent folder are handled by the caller.
 */
export function contactDataOf(body: Record<string, unknown>): ContactData {
  const data: ContactData = {};
  for (const [name, value] of Object.entries(body)) {
    if (ignored.has(name) || name === 'singleValueExtendedProperties' || name === 'parentFolderId') continue;
    if (name === 'categories') {
      data[name] = stringList(name, value);
      continue;
    }
    if (!(contactProperties as readonly string[]).includes(name)) {
      throw badRequest(
        `The property '${name}' does not exist on type 'microsoft.graph.contact'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
        'RequestBodyRead',
      );
    }
    data[name] = checked(name, value);
  }
  return data;
}

function checked(name: string, value: unknown): unknown {
  if (value === null) return emptyValue(name);
  if (name === 'emailAddresses') {
    if (!Array.isArray(value)) throw invalid(name);
    const list = value.map((entry) => {
      if (typeof entry !== 'object' || entry === null) throw invalid(name);
      const { name: display, address } = entry as Record<string, unknown>;
      return { name: typeof display === 'string' ? display : (address ?? null), address: address ?? null };
    });
    return limited(name, list);
  }
  if (collections.has(name)) return limited(name, stringList(name, value));
  if (addresses.has(name)) {
    if (typeof value !== 'object' || Array.isArray(value)) throw invalid(name);
    const address: Record<string, string> = {};
    for (const [part, text] of Object.entries(value as Record<string, unknown>)) {
      if (!addressParts.has(part)) throw invalid(`${name}/${part}`);
      if (typeof text === 'string') address[part] = text;
    }
    return address;
  }
  if (typeof value !== 'string') throw invalid(name);
  return value;
}

function limited(name: string, list: unknown[]): unknown[] {
  const max = maxEntries[name];
  if (max !== undefined && list.length > max) {
    throw badRequest(
      `The multi value property ${spelling[name]} has ${list.length} entries, that exceeds the max allowed value of ${max}`,
      'ErrorInvalidProperty',
    );
  }
  return list;
}

function stringList(name: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalid(name);
  return value as string[];
}

const invalid = (name: string) =>
  badRequest(`Cannot convert the literal in the property '${name}' to the expected type.`, 'RequestBodyRead');
