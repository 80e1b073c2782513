import { extname } from 'node:path';
import { inject, injectable } from 'inversify';
import type { Contact } from '../domain/contact.js';
import { CrmsyncError } from '../domain/errors.js';
import type { Fetched } from '../domain/problem.js';
import { Kernel } from '../kernel/kernel.js';
import type { ExportOption } from '../ports/export-option.js';

export interface ImportPreview {
  /** The importer that reads the file. */
  importer: string;
  /** The file's contacts as they are read; nothing is written anywhere. */
  items: AsyncIterable<Fetched<Contact>>;
}

/** Contact files in and out: previewing an uploaded file, running an export option. */
export interface FileExchangeService {
  /** The importer asked for, else the one whose `fileExtensions` include the name's ending. */
  importerFor(fileName: string, importerId?: string): string;
  previewImport(
    source: AsyncIterable<Uint8Array>,
    fileName: string,
    importerId?: string,
  ): Promise<ImportPreview>;
  /** An unknown option throws `CRMSYNC_ERR_CONTRIBUTION_UNKNOWN`. */
  exportOption(id: string): Promise<ExportOption>;
}
export const FileExchangeService = Symbol.for('crmsync.FileExchangeService');

@injectable()
export class FileExchangeServiceImpl implements FileExchangeService {
  constructor(@inject(Kernel) private readonly kernel: Kernel) {}

  importerFor(fileName: string, importerId?: string): string {
    if (importerId) return importerId;
    const ending = extname(fileName).toLowerCase();
    const match = this.kernel.registry
      .list('fileImporters')
      .find(({ descriptor }) => (descriptor.fileExtensions as string[] | undefined)?.includes(ending));
    if (!match) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_UPLOAD_INVALID',
        `no importer reads "${ending || 'files without an ending'}"`,
        {
          file: fileName,
        },
      );
    }
    return match.descriptor.id;
  }

  async previewImport(
    source: AsyncIterable<Uint8Array>,
    fileName: string,
    importerId?: string,
  ): Promise<ImportPreview> {
    const importer = this.importerFor(fileName, importerId);
    const implementation = await this.kernel.get('fileImporters', importer);
    return { importer, items: implementation.importFile(source, fileName) };
  }

  exportOption(id: string): Promise<ExportOption> {
    return this.kernel.get('exportOptions', id);
  }
}
