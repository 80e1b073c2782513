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

/** An export option the user can pick in the export-options dialog (E6). */
export interface ExportOption {
  /** True when the export produces a file for the sink; false when it writes to a place itself (a folder). */
  readonly producesFile: boolean;
  export(contacts: AsyncIterable<Contact> | Iterable<Contact>, sink: ExportSink): Promise<ExportReport>;
}
export const ExportOption = Symbol.for('crmsync.ExportOption');
