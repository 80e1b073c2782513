import type { Contact, ContactFileImporter, Fetched } from '../../../core/index.js';
import { type ReadOptions, readVCards } from './read/index.js';

/**
 * An uploaded `.vcf` file read card by card as its bytes arrive: every card that can be read
 * becomes a contact, every card that cannot becomes a problem naming the file, card and line.
 */
export class VcardFileImporter implements ContactFileImporter {
  constructor(private readonly options: Omit<ReadOptions, 'file'> = {}) {}

  importFile(source: AsyncIterable<Uint8Array>, fileName: string): AsyncIterable<Fetched<Contact>> {
    return readVCards(source, { ...this.options, file: fileName });
  }
}
