import { createAjv, describeViolations } from '../kernel/json-schemas.js';
import { addressTypes, type Contact, emailTypes, phoneTypes, withContactLists } from './contact.js';
import { CrmsyncError } from './errors.js';

/** A contact as JSON travels: photo bytes as base64, everything else as it is. */
export type ContactJson = Omit<Contact, 'photo'> & {
  photo?: { mediaType: string; base64?: string; url?: string; hash?: string };
};

const text = { type: 'string' } as const;
const texts = { type: 'array', items: text } as const;

/** The JSON Schema of a contact as the API takes it; every field is optional but typed. */
export const contactJsonSchema = {
  $id: 'https://crmsync.dev/schemas/contact.schema.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    salutation: text,
    title: text,
    givenName: text,
    middleName: text,
    surname: text,
    suffix: text,
    nickname: text,
    displayName: text,
    company: text,
    department: text,
    jobTitle: text,
    partnerId: text,
    emails: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['address', 'type'],
        properties: { address: text, type: { enum: emailTypes }, preferred: { type: 'boolean' } },
      },
    },
    phones: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['number', 'type'],
        properties: {
          number: text,
          type: { enum: phoneTypes },
          e164: text,
          preferred: { type: 'boolean' },
        },
      },
    },
    addresses: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type'],
        properties: {
          type: { enum: addressTypes },
          street: text,
          postalCode: text,
          city: text,
          region: text,
          country: text,
        },
      },
    },
    birthday: text,
    notes: text,
    categories: texts,
    website: text,
    photo: {
      type: 'object',
      additionalProperties: false,
      required: ['mediaType'],
      properties: {
        mediaType: text,
        base64: { type: 'string', contentEncoding: 'base64' },
        url: text,
        hash: text,
      },
    },
    ids: {
      type: 'object',
      additionalProperties: false,
      properties: {
        crmId: text,
        groupwareId: text,
        crmVersion: text,
        groupwareVersion: text,
        uid: text,
      },
    },
    groupwareSync: { type: 'boolean' },
    createdAt: text,
    updatedAt: text,
    extensions: { type: 'object' },
  },
} as const;

const validateContact = createAjv().compile(contactJsonSchema);
const base64 = /^[A-Za-z0-9+/=\s]*$/;

export function contactToJson(contact: Contact): ContactJson {
  const { photo, ...rest } = contact;
  if (!photo) return rest;
  const { bytes, ...meta } = photo;
  return { ...rest, photo: bytes ? { ...meta, base64: Buffer.from(bytes).toString('base64') } : meta };
}

/**
 * A contact from JSON sent by a client, checked against `contactJsonSchema`: a wrong type
 * anywhere is an error naming its JSON pointer below `pointer` (e.g. `/contacts/3/photo/base64`).
 */
export function contactFromJson(json: unknown, pointer = ''): Contact {
  if (!validateContact(json)) {
    const [first, ...rest] = describeViolations(validateContact.errors);
    const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
    throw new CrmsyncError('CRMSYNC_ERR_CONTACT_INVALID', `${first!.message}${more}`, {
      pointer: `${pointer}${first!.pointer}`,
    });
  }
  const { photo, ...rest } = json as ContactJson;
  const contact: Contact = withContactLists(rest);
  if (photo) {
    const { base64: encoded, ...meta } = photo;
    if (encoded !== undefined && !base64.test(encoded)) {
      throw new CrmsyncError('CRMSYNC_ERR_CONTACT_INVALID', 'the photo is not base64', {
        pointer: `${pointer}/photo/base64`,
      });
    }
    contact.photo =
      encoded === undefined ? meta : { ...meta, bytes: new Uint8Array(Buffer.from(encoded, 'base64')) };
  }
  return contact;
}
