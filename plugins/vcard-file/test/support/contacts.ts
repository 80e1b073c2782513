import { type Contact, emptyContact } from '../../../../core/index.js';

export function contact(fields: Partial<Contact>): Contact {
  return { ...emptyContact(), ...fields, ids: { ...fields.ids } };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

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
