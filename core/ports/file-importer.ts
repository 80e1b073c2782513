import type { Contact } from '../domain/contact.js';
import type { Fetched } from '../domain/problem.js';

/** Reads an uploaded file into contacts, card by card, as its bytes arrive. */
export interface ContactFileImporter {
  importFile(source: AsyncIterable<Uint8Array>, fileName: string): AsyncIterable<Fetched<Contact>>;
}
export const ContactFileImporter = Symbol.for('crmsync.ContactFileImporter');
