import { type Contact, emptyContact, type PhoneNumber } from '../../../../core/index.js';

export interface Person {
  crmId?: string;
  givenName?: string;
  surname?: string;
  company?: string;
  emails?: string[];
  mobile?: string;
  phone?: string;
  birthday?: string;
  street?: string;
  postalCode?: string;
  city?: string;
}

/** A contact written the short way the tests read best. */
export function person(fields: Person): Contact {
  const contact: Contact = { ...emptyContact() };
  if (fields.crmId) contact.ids.crmId = fields.crmId;
  if (fields.givenName) contact.givenName = fields.givenName;
  if (fields.surname) contact.surname = fields.surname;
  if (fields.company) contact.company = fields.company;
  if (fields.birthday) contact.birthday = fields.birthday;
  for (const address of fields.emails ?? []) contact.emails.push({ address, type: 'work' });
  const phones: PhoneNumber[] = [];
  if (fields.mobile) phones.push({ number: fields.mobile, type: 'mobile' });
  if (fields.phone) phones.push({ number: fields.phone, type: 'business' });
  contact.phones = phones;
  if (fields.street || fields.postalCode || fields.city)
    contact.addresses.push({
      type: 'business',
      ...(fields.street ? { street: fields.street } : {}),
      ...(fields.postalCode ? { postalCode: fields.postalCode } : {}),
      ...(fields.city ? { city: fields.city } : {}),
    });
  return contact;
}
