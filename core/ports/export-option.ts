import type { Contact } from '../domain/contact.js';
import type { Fetched, RecordProblem } from '../domain/problem.js';

/** A file the user downloads: one multi-card .vcf, or a ZIP of one file per contact. */
export interface ExportArtifact {
  fileName: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface ExportReport {
  written: number;
  problems: RecordProblem[];
  artifact?: ExportArtifact;
}

/** An export option the user can pick in the export-options dialog (E6). */
export interface ExportOption {
  export(contacts: AsyncIterable<Contact> | Iterable<Contact>): Promise<ExportReport>;
}
export const ExportOption = Symbol.for('crmsync.ExportOption');

/** Reads an uploaded file into contacts, card by card. */
export interface ContactFileImporter {
  importFile(bytes: Uint8Array, fileName: string): AsyncIterable<Fetched<Contact>>;
}
export const ContactFileImporter = Symbol.for('crmsync.ContactFileImporter');
