import { type Contact, emptyContact } from '../../../../core/index.js';

export function contact(fields: Partial<Contact>): Contact {
  return { ...emptyContact(), ...fields, ids: { ...fields.ids } };
}

export { collect } from '../../../../test/support/async-items.js';

/** A card as another program would write it, for files put into the folder by hand. */
export function handWrittenCard(fn: string, extra: string[] = []): string {
  const [given = '', surname = ''] = fn.split(' ');
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `N:${surname};${given};;;`,
    `FN:${fn}`,
    ...extra,
    'END:VCARD',
    '',
  ].join('\r\n');
}
