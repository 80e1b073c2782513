import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Zip, ZipPassThrough } from 'fflate';
import type { Contact, ExportOption, ExportReport, RecordProblem } from '../../../../core/index.js';
import { createFile } from '../folder/atomic-file.js';
import { writeVCard } from '../write/index.js';
import { ExportFileNames } from './export-file-names.js';
import { writeProblem } from './write-problem.js';

export interface VcardOutlookExportOptions {
  /** Name of the ZIP to download; `kontakte-outlook.zip` unless given. */
  archiveName?: string;
  /**
   * Write the files into this folder (created when missing) instead of a ZIP. A file already
   * there is never overwritten: the new one gets the next free name (`Müller, Anna (2).vcf`).
   */
  targetFolder?: string;
}

/**
 * "vCard für Outlook": Outlook desktop imports only the first card of a file, so every
 * contact gets a file of its own, in vCard 3.0; the files travel as one ZIP, or are written
 * into a folder, each atomically.
 */
export class VcardOutlookExport implements ExportOption {
  private readonly archiveName: string;
  private readonly targetFolder: string | undefined;

  constructor(options: VcardOutlookExportOptions | string = {}) {
    const given = typeof options === 'string' ? { archiveName: options } : options;
    this.archiveName = given.archiveName ?? 'kontakte-outlook.zip';
    this.targetFolder = given.targetFolder;
  }

  async export(contacts: AsyncIterable<Contact> | Iterable<Contact>): Promise<ExportReport> {
    return this.targetFolder === undefined
      ? this.toZip(contacts)
      : this.toFolder(contacts, this.targetFolder);
  }

  private async toZip(contacts: AsyncIterable<Contact> | Iterable<Contact>): Promise<ExportReport> {
    const chunks: Uint8Array[] = [];
    let failure: Error | undefined;
    const zip = new Zip((error, chunk) => {
      if (error) failure = error;
      else chunks.push(chunk);
    });
    const names = new ExportFileNames();
    const { written, problems } = await eachCard(contacts, async (contact, card) => {
      // Stored, not deflated: most of a card's bytes are its JPEG photo, which does not shrink.
      const entry = new ZipPassThrough(names.next(contact));
      zip.add(entry);
      entry.push(card, true);
    });
    zip.end();
    if (failure) throw failure;
    const bytes = Buffer.concat(chunks);
    return {
      written,
      problems,
      artifact: { fileName: this.archiveName, mediaType: 'application/zip', bytes: new Uint8Array(bytes) },
    };
  }

  private async toFolder(
    contacts: AsyncIterable<Contact> | Iterable<Contact>,
    folder: string,
  ): Promise<ExportReport> {
    await mkdir(folder, { recursive: true });
    const names = new ExportFileNames();
    return eachCard(contacts, async (contact, card) => {
      while (!(await createFile(join(folder, names.next(contact)), card))) {
        // The name is taken by an earlier export or another file: try the next one.
      }
    });
  }
}

/** Writes each contact as a vCard 3.0 and hands it on; a contact that fails is reported. */
async function eachCard(
  contacts: AsyncIterable<Contact> | Iterable<Contact>,
  store: (contact: Contact, card: Uint8Array) => Promise<void>,
): Promise<{ written: number; problems: RecordProblem[] }> {
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
    await store(contact, Buffer.from(card, 'utf8'));
    written++;
  }
  return { written, problems };
}
