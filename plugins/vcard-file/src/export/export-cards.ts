import type { Contact, RecordProblem } from '../../../../core/index.js';
import { type VcardVersion, withoutControlCharacters, writeVCard } from '../write/index.js';
import { writeProblem } from './write-problem.js';

export interface ExportedCard {
  contact: Contact;
  bytes: Uint8Array;
}

/**
 * Each contact as the bytes of one card, in order; a contact that cannot be written is
 * reported in `problems` and left out, a value that held control characters is written
 * without them and reported, and the export goes on either way.
 */
export async function* exportCards(
  contacts: AsyncIterable<Contact> | Iterable<Contact>,
  version: VcardVersion,
  problems: RecordProblem[],
): AsyncIterable<ExportedCard> {
  let position = 0;
  for await (const given of contacts) {
    position++;
    let card: string;
    let contact = given;
    try {
      const cleaned = withoutControlCharacters(given);
      contact = cleaned.contact;
      for (const field of cleaned.fields) problems.push(controlCharacterProblem(given, position, field));
      card = writeVCard(contact, { version });
    } catch (error) {
      problems.push(writeProblem(given, position, error));
      continue;
    }
    yield { contact, bytes: Buffer.from(card, 'utf8') };
  }
}

function controlCharacterProblem(contact: Contact, position: number, field: string): RecordProblem {
  const location: RecordProblem['location'] = { card: position, field };
  const recordId = contact.ids?.crmId ?? contact.ids?.groupwareId;
  if (recordId) location.recordId = recordId;
  const who = contact.displayName || [contact.givenName, contact.surname].filter(Boolean).join(' ');
  return {
    code: 'CRMSYNC_ERR_VCARD_CONTROL_CHARACTERS',
    message: `control characters (such as NUL) in ${field}${who ? ` of ${who}` : ''} were left out of the card`,
    location,
  };
}
