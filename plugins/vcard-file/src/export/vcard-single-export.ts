import type { Contact, ExportOption, ExportReport, RecordProblem } from '../../../../core/index.js';
import { type VcardVersion, writeVCard } from '../write/index.js';
import { writeProblem } from './write-problem.js';

/** "vCard (alle Kontakte in einer Datei)": one multi-card `.vcf`, for Apple, Google and others. */
export class VcardSingleExport implements ExportOption {
  constructor(
    private readonly version: VcardVersion = '3.0',
    private readonly fileName = 'kontakte.vcf',
  ) {}

  async export(contacts: AsyncIterable<Contact> | Iterable<Contact>): Promise<ExportReport> {
    const parts: Buffer[] = [];
    const problems: RecordProblem[] = [];
    let position = 0;
    for await (const contact of contacts) {
      position++;
      try {
        parts.push(Buffer.from(writeVCard(contact, { version: this.version }), 'utf8'));
      } catch (error) {
        problems.push(writeProblem(contact, position, error));
      }
    }
    return {
      written: parts.length,
      problems,
      artifact: {
        fileName: this.fileName,
        mediaType: 'text/vcard; charset=utf-8',
        bytes: new Uint8Array(Buffer.concat(parts)),
      },
    };
  }
}
