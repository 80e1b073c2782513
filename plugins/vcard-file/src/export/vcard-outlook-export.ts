import { type FileHandle, mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
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
import { type ExportedCard, exportCards } from './export-cards.js';
import { ExportFileNames } from './export-file-names.js';
import { versionOf } from './export-settings.js';
import { ZipWriter } from './zip-writer.js';

const filesInFlight = 8;

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
 * contact gets a file of its own, in vCard 3.0; the files travel as one ZIP streamed to the
 * sink, or are written into a folder.
 */
export class VcardOutlookExport implements ExportOption {
  readonly producesFile: boolean;
  private readonly archiveName: string;
  private readonly targetFolder: string | undefined;

  constructor(options: VcardOutlookExportOptions = {}) {
    this.archiveName = options.archiveName ?? 'kontakte-outlook.zip';
    this.targetFolder = options.targetFolder;
    this.producesFile = this.targetFolder === undefined;
  }

  /** Outlook reads vCard 3.0 only, so no other `formatVersion` is written; `targetFolder` moves a folder export. */
  async export(
    contacts: AsyncIterable<Contact> | Iterable<Contact>,
    sink: ExportSink,
    settings?: ExportSettings,
  ): Promise<ExportReport> {
    versionOf(settings, '3.0', ['3.0']);
    if (this.targetFolder === undefined) {
      if (settings?.targetFolder !== undefined)
        throw new CrmsyncError(
          'CRMSYNC_ERR_EXPORT_INVALID',
          'this export writes a ZIP file, not into a folder',
          {
            field: 'targetFolder',
          },
        );
      return this.toZip(contacts, sink);
    }
    return this.toFolder(contacts, settings?.targetFolder ?? this.targetFolder);
  }

  /** Entry by entry: memory holds one card and the ZIP's directory, however many contacts come. */
  private async toZip(
    contacts: AsyncIterable<Contact> | Iterable<Contact>,
    sink: ExportSink,
  ): Promise<ExportReport> {
    const file: ExportFile = { fileName: this.archiveName, mediaType: 'application/zip' };
    const problems: RecordProblem[] = [];
    const names = new ExportFileNames();
    sink.start(file);
    const zip = new ZipWriter((chunk) => sink.write(chunk));
    let written = 0;
    for await (const card of exportCards(contacts, '3.0', problems)) {
      // Stored, not deflated: most of a card's bytes are its JPEG photo, which does not shrink.
      await zip.add(names.next(card.contact), card.bytes);
      written++;
    }
    await zip.end();
    return { written, problems, file };
  }

  private async toFolder(
    contacts: AsyncIterable<Contact> | Iterable<Contact>,
    folder: string,
  ): Promise<ExportReport> {
    await mkdir(folder, { recursive: true });
    const names = new ExportFileNames();
    // Read once, so that a name taken earlier costs no failed create per contact.
    names.seed(await readdir(folder));
    const problems: RecordProblem[] = [];
    let written = 0;
    // Several files in flight: on a slow disk a file's create waits mostly on the system.
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    for await (const card of exportCards(contacts, '3.0', problems)) {
      if (failure) break;
      const write: Promise<void> = this.createUnderNextName(folder, names, card).then(
        () => {
          written++;
          inFlight.delete(write);
        },
        (error: unknown) => {
          failure ??= error;
          inFlight.delete(write);
        },
      );
      inFlight.add(write);
      if (inFlight.size >= filesInFlight) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
    return { written, problems };
  }

  private async createUnderNextName(
    folder: string,
    names: ExportFileNames,
    card: ExportedCard,
  ): Promise<void> {
    while (!(await createExclusive(join(folder, names.next(card.contact)), card.bytes))) {
      // Another program took the name since the folder was read: the next one is free.
    }
  }
}

/**
 * Creates the file under its own name, never over another (`wx`), and removes it again when
 * the write fails, so no half-written card stays. Unlike the folder store, an export neither
 * flushes each file nor goes through a temporary one: 20,000 files would take minutes, and a
 * power cut during an export is answered by exporting again. Returns false when the name is taken.
 */
async function createExclusive(path: string, bytes: Uint8Array): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(bytes);
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
  return true;
}
