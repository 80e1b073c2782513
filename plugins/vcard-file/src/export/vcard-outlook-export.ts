import { Zip, ZipPassThrough } from 'fflate';
import type { Contact, ExportOption, ExportReport, RecordProblem } from '../../../../core/index.js';
import { writeVCard } from '../write/index.js';
import { ExportFileNames } from './export-file-names.js';
import { writeProblem } from './write-problem.js';

/**
 * "vCard für Outlook": Outlook desktop imports only the first card of a file, so every
 * contact gets a file of its own, in vCard 3.0, and the files travel as one ZIP.
 */
export class VcardOutlookExport implements ExportOption {
  constructor(private readonly archiveName = 'kontakte-outlook.zip') {}

  async export(contacts: AsyncIterable<Contact> | Iterable<Contact>): Promise<ExportReport> {
    const chunks: Uint8Array[] = [];
    let failure: Error | undefined;
    const zip = new Zip((error, chunk) => {
      if (error) failure = error;
      else chunks.push(chunk);
    });
    const names = new ExportFileNames();
    const problems: RecordProblem[] = [];
    let written = 0;
    let position = 0;
    for await (const contact of contacts) {
      position++;
      let card: string;
      try {
        card = writeVCard(contact, { version: '3.0' });
      } catch (error) {
        problems.push(writeProblem(contact, position, error));
        continue;
      }
      // Stored, not deflated: most of a card's bytes are its JPEG photo, which does not shrink.
      const entry = new ZipPassThrough(names.next(contact));
      zip.add(entry);
      entry.push(Buffer.from(card, 'utf8'), true);
      written++;
    }
    zip.end();
    if (failure) throw failure;
    const bytes = Buffer.concat(chunks);
    return {
      written,
      problems,
      artifact: { fileName: this.archiveName, mediaType: 'application/zip', bytes: new Uint8Array(bytes) },
    };
  }
}
