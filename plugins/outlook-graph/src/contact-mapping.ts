import {
  type AddressType,
  type Contact,
  type EmailType,
  emailTypes,
  emptyContact,
  type FieldSupport,
  type GroupwareCapabilities,
  type PhoneNumber,
  type PhoneType,
  type PostalAddress,
} from '../../../core/index.js';
import {
  businessFaxProperty,
  crmIdProperty,
  emailTypesProperty,
  homeFaxProperty,
  otherPhoneProperty,
  pagerProperty,
  preferredPhoneProperty,
} from './crm-id-property.js';

/**
 * What an Outlook contact holds through Graph: three e-mail addresses, two business and two
 * home phones, one mobile, one fax of each kind, pager and other phone (the last four as MAPI
 * properties), one address of each kind.
 */
/** What Outlook contacts can do as a store, the same whether Outlook is configured yet or not. */
export const outlookCapabilities: GroupwareCapabilities = {
  delta: true,
  photos: true,
  batch: true,
  stableExternalId: true,
};

export const outlookFieldSupport: FieldSupport = {
  scalars: [
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
    'birthday',
    'notes',
    'website',
  ],
  emails: 3,
  phones: { business: 2, home: 2, mobile: 1, businessFax: 1, homeFax: 1, pager: 1, other: 1 },
  addresses: { business: 1, home: 1, other: 1 },
  addressParts: ['street', 'postalCode', 'city', 'region', 'country'],
  categories: true,
  photo: true,
};

/** The contact properties crmsync reads (`$select`): the mapped ones and the version. */
export const selectMapped = [
  'id',
  'changeKey',
  'createdDateTime',
  'lastModifiedDateTime',
  'categories',
  'title',
  'givenName',
  'middleName',
  'surname',
  'generation',
  'nickName',
  'displayName',
  'companyName',
  'department',
  'jobTitle',
  'birthday',
  'personalNotes',
  'businessHomePage',
  'emailAddresses',
  'businessPhones',
  'homePhones',
  'mobilePhone',
  'businessAddress',
  'homeAddress',
  'otherAddress',
].join(',');

const scalarMap = {
  title: 'title',
  givenName: 'givenName',
  middleName: 'middleName',
  surname: 'surname',
  suffix: 'generation',
  nickname: 'nickName',
  company: 'companyName',
  department: 'department',
  jobTitle: 'jobTitle',
  notes: 'personalNotes',
  website: 'businessHomePage',
} as const satisfies Partial<Record<keyof Contact, string>>;

const addressMap: Record<AddressType, string> = {
  business: 'businessAddress',
  home: 'homeAddress',
  other: 'otherAddress',
};
const singlePhoneProperties: Partial<Record<PhoneType, string>> = {
  businessFax: businessFaxProperty,
  homeFax: homeFaxProperty,
  pager: pagerProperty,
  other: otherPhoneProperty,
};

export interface GraphContactBody {
  body: Record<string, unknown>;
  /** What did not fit into Outlook, as model paths; it stays where it is, and is reported. */
  leftOut: string[];
}

/** A contact as the body of a POST (create) or a PATCH (update: every mapped property, so cleared ones clear). */
export function toGraphContact(contact: Contact): GraphContactBody {
  const leftOut: string[] = [];
  const body: Record<string, unknown> = {};
  for (const [field, property] of Object.entries(scalarMap))
    body[property] = contact[field as keyof typeof scalarMap] ?? null;
  // Outlook derives a display name from the name parts unless it is given on every write.
  body.displayName =
    contact.displayName ?? ([contact.givenName, contact.surname].filter(Boolean).join(' ') || null);
  body.birthday = birthdayToGraph(contact.birthday, leftOut);
  body.categories = contact.categories;

  const emails = contact.emails.slice(0, outlookFieldSupport.emails);
  for (let index = emails.length; index < contact.emails.length; index++) leftOut.push(`emails[${index}]`);
  body.emailAddresses = emails.map((email) => ({ address: email.address, name: email.address }));

  const phones = (type: PhoneType) => {
    const all = contact.phones
      .map((phone, index) => ({ phone, index }))
      .filter(({ phone }) => phone.type === type);
    const room = outlookFieldSupport.phones[type] ?? 0;
    for (const { index } of all.slice(room)) leftOut.push(`phones[${index}]`);
    return all.slice(0, room).map(({ phone }) => phone.number);
  };
  body.businessPhones = phones('business');
  body.homePhones = phones('home');
  body.mobilePhone = phones('mobile')[0] ?? null;

  for (const [type, property] of Object.entries(addressMap)) {
    const all = contact.addresses
      .map((address, index) => ({ address, index }))
      .filter(({ address }) => address.type === type);
    for (const { index } of all.slice(1)) leftOut.push(`addresses[${index}]`);
    body[property] = all[0] ? addressToGraph(all[0].address) : {};
  }

  // A cleared value is written as an empty string: Graph cannot remove a property by PATCH.
  // Outlook has no e-mail types nor a preferred address or number: crmsync keeps them itself.
  const extended = [
    {
      id: emailTypesProperty,
      value: emails.map((email) => `${email.type}${email.preferred ? ';pref' : ''}`).join(','),
    },
    { id: preferredPhoneProperty, value: contact.phones.find((phone) => phone.preferred)?.number ?? '' },
  ];
  if (contact.ids.crmId) extended.unshift({ id: crmIdProperty, value: contact.ids.crmId });
  for (const [type, id] of Object.entries(singlePhoneProperties))
    extended.push({ id, value: phones(type as PhoneType)[0] ?? '' });
  body.singleValueExtendedProperties = extended;
  return { body, leftOut };
}

function addressToGraph(address: PostalAddress): Record<string, string> {
  const graph: Record<string, string> = {};
  if (address.street) graph.street = address.street;
  if (address.postalCode) graph.postalCode = address.postalCode;
  if (address.city) graph.city = address.city;
  if (address.region) graph.state = address.region;
  if (address.country) graph.countryOrRegion = address.country;
  return graph;
}

function birthdayToGraph(birthday: string | undefined, leftOut: string[]): string | null {
  if (!birthday) return null;
  // Outlook keeps a full date only; a birthday without year stays where it is.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthday)) {
    leftOut.push('birthday');
    return null;
  }
  return `${birthday}T00:00:00Z`;
}

type GraphJson = Record<string, unknown>;

/** A Graph contact (read with `$select` and the mapped extended properties) in the neutral model. */
export function fromGraphContact(graph: GraphJson): Contact {
  const contact = emptyContact();
  const text = (name: string) => {
    const value = graph[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  for (const [field, property] of Object.entries(scalarMap)) {
    const value = text(property);
    if (value !== undefined) contact[field as keyof typeof scalarMap] = value;
  }
  const displayName = text('displayName');
  if (displayName) contact.displayName = displayName;
  const birthday = text('birthday');
  if (birthday && /^\d{4}-\d{2}-\d{2}/.test(birthday)) contact.birthday = birthday.slice(0, 10);
  contact.categories = Array.isArray(graph.categories) ? (graph.categories as string[]) : [];

  const extended = new Map<string, string>();
  for (const property of (graph.singleValueExtendedProperties ?? []) as { id: string; value: string }[])
    extended.set(property.id.toLowerCase(), property.value);
  const ext = (id: string) => extended.get(id.toLowerCase()) || undefined;

  const types = (ext(emailTypesProperty) ?? '').split(',');
  const emails = (graph.emailAddresses ?? []) as { address?: string | null }[];
  contact.emails = emails
    .filter((email) => typeof email.address === 'string' && email.address)
    .map((email, index) => {
      const [type, flag] = (types[index] ?? '').split(';');
      return {
        address: email.address as string,
        type: emailTypeOf(type),
        ...(flag === 'pref' ? { preferred: true } : {}),
      };
    });

  const phones: PhoneNumber[] = [];
  for (const number of (graph.businessPhones ?? []) as string[]) phones.push({ number, type: 'business' });
  for (const number of (graph.homePhones ?? []) as string[]) phones.push({ number, type: 'home' });
  const mobile = text('mobilePhone');
  if (mobile) phones.push({ number: mobile, type: 'mobile' });
  for (const [type, id] of Object.entries(singlePhoneProperties)) {
    const number = ext(id);
    if (number) phones.push({ number, type: type as PhoneType });
  }
  const preferred = ext(preferredPhoneProperty);
  const first = preferred ? phones.find((phone) => phone.number === preferred) : undefined;
  if (first) first.preferred = true;
  contact.phones = phones;

  for (const [type, property] of Object.entries(addressMap)) {
    const address = addressFromGraph(graph[property], type as AddressType);
    if (address) contact.addresses.push(address);
  }

  contact.ids = { groupwareId: graph.id as string, groupwareVersion: graph.changeKey as string };
  const crmId = ext(crmIdProperty);
  if (crmId) contact.ids.crmId = crmId;
  if (typeof graph.createdDateTime === 'string') contact.createdAt = graph.createdDateTime;
  if (typeof graph.lastModifiedDateTime === 'string') contact.updatedAt = graph.lastModifiedDateTime;
  return contact;
}

function emailTypeOf(type: string | undefined): EmailType {
  return (emailTypes as readonly string[]).includes(type ?? '') ? (type as EmailType) : 'work';
}

function addressFromGraph(value: unknown, type: AddressType): PostalAddress | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const graph = value as Record<string, string | null | undefined>;
  const address: PostalAddress = { type };
  if (graph.street) address.street = graph.street;
  if (graph.postalCode) address.postalCode = graph.postalCode;
  if (graph.city) address.city = graph.city;
  if (graph.state) address.region = graph.state;
  if (graph.countryOrRegion) address.country = graph.countryOrRegion;
  return Object.keys(address).length > 1 ? address : undefined;
}

/**
 * Write answers carry no extended properties: what crmsync keeps in them (e-mail types, the
 * phones Graph has no property for) is taken from the contact that was written.
 */
export function withWrittenExtras(answered: Contact, written: Contact): Contact {
  answered.emails = answered.emails.map((email, index) => {
    const same = written.emails[index];
    if (same?.address !== email.address) return email;
    return { ...email, type: same.type, ...(same.preferred ? { preferred: true } : {}) };
  });
  const preferred = written.phones.find((phone) => phone.preferred);
  for (const type of Object.keys(singlePhoneProperties) as PhoneType[]) {
    const phone = written.phones.find((candidate) => candidate.type === type);
    if (phone && !answered.phones.some((candidate) => candidate.type === type))
      answered.phones.push({ number: phone.number, type });
  }
  const held = preferred && answered.phones.find((phone) => phone.number === preferred.number);
  if (held) held.preferred = true;
  return answered;
}
