import { once } from 'node:events';
import { createWriteStream, existsSync, statSync, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CrmsyncError, type ExportSettings, type ExportSink } from '../../core/index.js';

export type VcardFormat = '3.0' | '4.0';

export interface VcardFileChoice {
  path: string;
  format?: VcardFormat;
  oneFilePerContact: boolean;
}

/**
 * The export option a `vcard:<path>` export is planned with, so the plan records the same
 * choice the web wizard would make; the path and the version are its settings for this export.
 */
export function exportOptionIdOf(choice: VcardFileChoice): string {
  return choice.oneFilePerContact ? 'vcard-outlook-folder' : 'vcard-single';
}

/** Refuses a choice that cannot be written before anything is read from the CRM. */
export function checkVcardFileChoice(choice: VcardFileChoice): void {
  const target = resolve(choice.path);
  if (choice.oneFilePerContact) {
    if (choice.format === '4.0')
      throw new CrmsyncError(
        'CRMSYNC_ERR_EXPORT_INVALID',
        'one file per contact is written for Outlook, which reads vCard 3.0 only; leave out --format 4.0',
        { field: '--format' },
      );
    if (existsSync(target) && !statSync(target).isDirectory())
      throw new CrmsyncError(
        'CRMSYNC_ERR_EXPORT_INVALID',
        'one file per contact needs a folder, not a file',
        {
          file: target,
        },
      );
    return;
  }
  if (existsSync(target) && statSync(target).isDirectory())
    throw new CrmsyncError(
      'CRMSYNC_ERR_EXPORT_INVALID',
      'a single-file export needs a file name, not a folder',
      {
        file: target,
      },
    );
  if (!existsSync(dirname(target)))
    throw new CrmsyncError('CRMSYNC_ERR_EXPORT_INVALID', 'the folder to write the file into does not exist', {
      file: target,
    });
}

/** The user's choice of version and folder for this one export, beside the plugin's configuration. */
export function exportSettingsOf(choice: VcardFileChoice): ExportSettings {
  return {
    ...(choice.format ? { formatVersion: choice.format } : {}),
    ...(choice.oneFilePerContact ? { targetFolder: resolve(choice.path) } : {}),
  };
}

/**
 * A file written as the export streams, waiting when the disk is slower than the CRM. It is
 * made when the export starts its file, so an export refused before that leaves none behind.
 */
export function fileSink(path: string): { sink: ExportSink; close(): Promise<void> } {
  let stream: WriteStream | undefined;
  let failure: Error | undefined;
  return {
    sink: {
      start() {
        stream = createWriteStream(path);
        stream.on('error', (error) => {
          failure ??= error;
        });
      },
      async write(chunk) {
        if (failure) throw failure;
        if (!stream!.write(chunk)) await once(stream!, 'drain');
      },
    },
    close: () =>
      new Promise((done, fail) => {
        if (!stream) return done();
        if (failure) return fail(failure);
        stream.once('error', fail);
        stream.end(() => done());
      }),
  };
}
