import {
  type Contact,
  CrmsyncError,
  type ExportFile,
  type ExportOption,
  type ExportReport,
  type ExportSettings,
  type ExportSink,
  type RecordProblem,
} from '../../../../core/index.js';
import type { VcardVersion } from '../write/index.js';
import { exportCards } from './export-cards.js';
import { versionOf } from './export-settings.js';

/** "vCard (alle Kontakte in einer Datei)": one multi-card `.vcf`, for Apple, Google and others. */
export class VcardSingleExport implements ExportOption {
  readonly producesFile = true;

  constructor(
    private readonly version: VcardVersion = '3.0',
    private readonly fileName = 'kontakte.vcf',
  ) {}

  /** Streams card by card: the sink gets each card as soon as it is written; `formatVersion` picks 3.0 or 4.0. */
  async export(
    contacts: AsyncIterable<Contact> | Iterable<Contact>,
    sink: ExportSink,
    settings?: ExportSettings,
  ): Promise<ExportReport> {
    const version = versionOf(settings, this.version);
    if (settings?.targetFolder !== undefined)
      throw new CrmsyncError('CRMSYNC_ERR_EXPORT_INVALID', 'this export writes a file, not into a folder', {
        field: 'targetFolder',
      });
    const file: ExportFile = { fileName: this.fileName, mediaType: 'text/vcard; charset=utf-8' };
    const problems: RecordProblem[] = [];
    let written = 0;
    sink.start(file);
    for await (const card of exportCards(contacts, version, problems)) {
      await sink.write(card.bytes);
      written++;
    }
    return { written, problems, file };
  }
}
