import type { Contact } from '../domain/contact.js';
import type { RecordProblem } from '../domain/problem.js';

/** What an export writes, told to the sink before its first byte. */
export interface ExportFile {
  fileName: string;
  mediaType: string;
}

/**
 * Where an export's bytes go (an HTTP response, a file): they stream, so a 100,000-contact
 * download never sits whole in memory. `write` resolves when the sink can take more.
 */
export interface ExportSink {
  start(file: ExportFile): void;
  write(chunk: Uint8Array): Promise<void>;
}

export interface ExportReport {
  written: number;
  problems: RecordProblem[];
  /** Set when the export wrote a file to the sink (not when it wrote to a place of its own). */
  file?: ExportFile;
}

/** A sink for an export that writes to a place of its own, or whose file nobody wants. */
export const discardingSink: ExportSink = { start() {}, async write() {} };

/**
 * Choices for one export beside the option itself, which otherwise writes as its plugin is
 * configured. They are a local user's (the command line): the API takes none, since a folder
 * names a place on the host's own disk.
 */
export interface ExportSettings {
  /** The version of the format to write, for an option that writes more than one (vCard 3.0 or 4.0). */
  formatVersion?: string;
  /** For an option that writes to a place of its own: the folder to write into this time. */
  targetFolder?: string;
}

/** An export option the user can pick in the export-options dialog (E6). */
export interface ExportOption {
  /** True when the export produces a file for the sink; false when it writes to a place itself (a folder). */
  readonly producesFile: boolean;
  /** A setting the option cannot honour is refused (`CRMSYNC_ERR_EXPORT_INVALID`) before anything is written. */
  export(
    contacts: AsyncIterable<Contact> | Iterable<Contact>,
    sink: ExportSink,
    settings?: ExportSettings,
  ): Promise<ExportReport>;
}
export const ExportOption = Symbol.for('crmsync.ExportOption');
