import type {
  Contact,
  ExportFile,
  ExportOption,
  ExportReport,
  ExportSink,
  RecordProblem,
} from '../../../../core/index.js';
import type { VcardVersion } from '../write/index.js';
import { exportCards } from './export-cards.js';

/** "vCard (alle Kontakte in einer Datei)": one multi-card `.vcf`, for Apple, Google and others. */
export class VcardSingleExport implements ExportOption {
  readonly producesFile = true;

  constructor(
    private readonly version: VcardVersion = '3.0',
    private readonly fileName = 'kontakte.vcf',
  ) {}

  /** Streams card by card: the sink gets each card as soon as it is written. */
  async export(
    contacts: AsyncIterable<Contact> | Iterable<Contact>,
    sink: ExportSink,
  ): Promise<ExportReport> {
    const file: ExportFile = { fileName: this.fileName, mediaType: 'text/vcard; charset=utf-8' };
    const problems: RecordProblem[] = [];
    let written = 0;
    sink.start(file);
    for await (const card of exportCards(contacts, this.version, problems)) {
      await sink.write(card.bytes);
      written++;
    }
    return { written, problems, file };
  }
}
