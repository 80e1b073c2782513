import type { Contact } from '../../../../core/index.js';

/**
 * Every field crmsync maps from a vCard, in a form that compares with deep equality: the
 * identity fields a round trip must keep, the photo as bytes, and the unknown lines kept.
 * Ids the folder assigns (groupware id and version) are left out: they name the file, not
 * the person.
 */
export function mappedFields(contact: Contact): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    salutation: contact.salutation,
    title: contact.title,
    givenName: contact.givenName,
    middleName: contact.middleName,
    surname: contact.surname,
    suffix: contact.suffix,
    nickname: contact.nickname,
    displayName: contact.displayName,
    company: contact.company,
    department: contact.department,
    jobTitle: contact.jobTitle,
    emails: contact.emails.map((e) => ({
      address: e.address,
      type: e.type,
      preferred: e.preferred === true,
    })),
    phones: contact.phones.map((p) => ({
      number: p.number,
      type: p.type,
      e164: p.e164,
      preferred: p.preferred === true,
    })),
    addresses: contact.addresses.map((a) => ({ ...a })),
    birthday: contact.birthday,
    notes: contact.notes,
    categories: [...contact.categories],
    website: contact.website,
    photo: contact.photo && {
      mediaType: contact.photo.mediaType,
      url: contact.photo.url,
      bytes: contact.photo.bytes && Buffer.from(contact.photo.bytes).toString('base64'),
    },
    uid: contact.ids.uid,
    crmId: contact.ids.crmId,
    updatedAt: contact.updatedAt,
    unknown: [
      ...(((contact.extensions?.vcard as { unknown?: string[] } | undefined)?.unknown ?? []) as string[]),
    ],
  };
  return JSON.parse(JSON.stringify(fields));
}
