/**
 * crmsync's own named properties on Outlook contacts (E5): a property set GUID that belongs to
 * crmsync alone, so no other app's data is read or overwritten.
 */
export const crmsyncPropertySet = '{6f1d3c2a-8b4e-4f5a-9c7d-2e0b1a3f4c5d}';

/** The CRM id stamped on every exported contact, found again with `$filter` (E4, I2). */
export const crmIdProperty = `String ${crmsyncPropertySet} Name crmsync-crm-id`;
/** The e-mail types (work, home, other) in the order of `emailAddresses`, which has no type of its own. */
export const emailTypesProperty = `String ${crmsyncPropertySet} Name crmsync-email-types`;

/** The number of the preferred phone, which Outlook cannot mark. */
export const preferredPhoneProperty = `String ${crmsyncPropertySet} Name crmsync-preferred-phone`;

/** Outlook's MAPI properties for the phone numbers Graph's contact resource leaves out. */
export const businessFaxProperty = 'String 0x3A24';
export const homeFaxProperty = 'String 0x3A25';
export const pagerProperty = 'String 0x3A21';
export const otherPhoneProperty = 'String 0x3A1F';

export const mappedExtendedProperties = [
  crmIdProperty,
  emailTypesProperty,
  preferredPhoneProperty,
  businessFaxProperty,
  homeFaxProperty,
  pagerProperty,
  otherPhoneProperty,
] as const;

/**
 * Outlook's own mark of a contact with a photo (PidLidHasPicture in PSETID_Address, which
 * MS-OXOCNTC requires to follow the photo's addition and removal). Graph cannot expand a
 * photo, but it can expand this: a listing learns which contacts have a photo to read.
 */
export const hasPictureProperty = 'Boolean {00062004-0000-0000-C000-000000000046} Id 0x8015';

/** An OData string literal: single quotes, a quote inside doubled. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `$expand` of every property crmsync reads, in one request. */
export const expandMapped = `singleValueExtendedProperties($filter=${[
  ...mappedExtendedProperties,
  hasPictureProperty,
]
  .map((id) => `id eq ${odataString(id)}`)
  .join(' or ')})`;

/** `$filter` finding the contacts stamped with one CRM id. */
export function crmIdFilter(crmId: string): string {
  return `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(crmIdProperty)} and ep/value eq ${odataString(crmId)})`;
}
