import type { Contact } from './contact.js';
import { CrmsyncError } from './errors.js';

/** A contact as JSON travels: photo bytes as base64, everything else as it is. */
export type ContactJson = Omit<Contact, 'photo'> & {
  photo?: { mediaType: string; base64?: string; url?: string; hash?: string };
};

export function contactToJson(contact: Contact): ContactJson {
  const { photo, ...rest } = contact;
  if (!photo) return rest;
  const { bytes, ...meta } = photo;
  return { ...rest, photo: bytes ? { ...meta, base64: Buffer.from(bytes).toString('base64') } : meta };
}

export function contactFromJson(json: ContactJson, pointer = ''): Contact {
  if (!json || typeof json !== 'object') {
    throw new CrmsyncError('CRMSYNC_ERR_CONTACT_INVALID', 'a contact must be an object', { pointer });
  }
  const { photo, ...rest } = json;
  const contact: Contact = {
    ...rest,
    emails: rest.emails ?? [],
    phones: rest.phones ?? [],
    addresses: rest.addresses ?? [],
    categories: rest.categories ?? [],
    ids: rest.ids ?? {},
  };
  if (photo) {
    const { base64, ...meta } = photo;
    contact.photo =
      base64 === undefined ? meta : { ...meta, bytes: new Uint8Array(Buffer.from(base64, 'base64')) };
  }
  return contact;
}
