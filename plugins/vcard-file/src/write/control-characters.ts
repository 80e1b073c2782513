import type { Contact } from '../../../../core/index.js';

/**
 * C0 controls other than tab, line feed and carriage return, and DEL: no vCard value may hold
 * them (RFC 6350 §3.3), a NUL cuts the card short for C readers, and Outlook refuses the file.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const controls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const anyControl = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export interface CleanedContact {
  contact: Contact;
  /** Model paths of the values that lost characters, e.g. `notes`, `emails[0].address`. */
  fields: string[];
}

/** The contact with control characters left out of every text value, and where that happened. */
export function withoutControlCharacters(contact: Contact): CleanedContact {
  const fields: string[] = [];
  const clean = (value: string, field: string): string => {
    if (!anyControl.test(value)) return value;
    fields.push(field);
    return value.replace(controls, '');
  };
  const cleanObject = <T extends object>(object: T, path: string): T => {
    let copy: T | undefined;
    for (const [key, value] of Object.entries(object)) {
      if (typeof value !== 'string') continue;
      const cleaned = clean(value, path ? `${path}.${key}` : key);
      if (cleaned !== value) {
        copy ??= { ...object };
        (copy as Record<string, unknown>)[key] = cleaned;
      }
    }
    return copy ?? object;
  };

  const result: Contact = { ...cleanObject(contact, '') };
  if (Array.isArray(contact.emails))
    result.emails = contact.emails.map((e, i) => cleanObject(e, `emails[${i}]`));
  if (Array.isArray(contact.phones))
    result.phones = contact.phones.map((p, i) => cleanObject(p, `phones[${i}]`));
  if (Array.isArray(contact.addresses))
    result.addresses = contact.addresses.map((a, i) => cleanObject(a, `addresses[${i}]`));
  if (Array.isArray(contact.categories))
    result.categories = contact.categories.map((c, i) =>
      typeof c === 'string' ? clean(c, `categories[${i}]`) : c,
    );
  if (contact.photo) result.photo = cleanObject(contact.photo, 'photo');
  if (contact.ids) result.ids = cleanObject(contact.ids, 'ids');
  const unknown = (contact.extensions?.vcard as { unknown?: unknown } | undefined)?.unknown;
  if (Array.isArray(unknown)) {
    const lines = unknown.map((line, i) =>
      typeof line === 'string' ? clean(line, `extensions.vcard.unknown[${i}]`) : line,
    );
    result.extensions = {
      ...contact.extensions,
      vcard: { ...(contact.extensions?.vcard as object), unknown: lines },
    };
  }
  return fields.length === 0 ? { contact, fields } : { contact: result, fields };
}
