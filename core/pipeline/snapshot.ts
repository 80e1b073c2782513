import { type Contact, withContactLists } from '../domain/contact.js';
import type { ContactJson } from '../domain/contact-json.js';
import { photoHash } from '../domain/photo-hash.js';

/**
 * A contact as plans, links and the journal keep it: photo bytes replaced by their hash, so a
 * plan of 10,000 contacts stays small and a photo is stored once, in the blobs.
 */
export function snapshotOf(contact: Contact): ContactJson {
  const { photo, ...rest } = contact;
  const json: ContactJson = structuredClone(rest);
  if (photo) {
    const hash = photo.hash ?? (photo.bytes ? photoHash(photo.bytes) : undefined);
    json.photo = { mediaType: photo.mediaType };
    if (hash) json.photo.hash = hash;
    if (photo.url) json.photo.url = photo.url;
  }
  return json;
}

/** A snapshot back as a contact, with the photo bytes given (or none). */
export function contactOf(snapshot: ContactJson, photoBytes?: Uint8Array): Contact {
  const { photo, ...rest } = structuredClone(snapshot);
  const contact: Contact = withContactLists(rest);
  if (photo && (photoBytes || photo.url)) {
    contact.photo = { mediaType: photo.mediaType };
    if (photoBytes) contact.photo.bytes = photoBytes;
    if (photo.hash) contact.photo.hash = photo.hash;
    if (photo.url) contact.photo.url = photo.url;
  }
  return contact;
}
