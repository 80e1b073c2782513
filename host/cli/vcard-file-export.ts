import { once } from 'node:events';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type CommitProgress,
  CrmsyncError,
  type ExportOption,
  type ExportSink,
  type PlanHeader,
} from '../../core/index.js';
import { exportPlanToFile } from '../../core/pipeline/flows/file-export.js';
import { VcardOutlookExport, VcardSingleExport } from '../../plugins/vcard-file/src/index.js';
import type { Runtime } from '../runtime.js';

export type VcardFormat = '3.0' | '4.0';

export interface VcardFileChoice {
  path: string;
  format?: VcardFormat;
  oneFilePerContact: boolean;
}

/**
 * The plugin's export option a `vcard:<path>` export is planned with, so the plan records the
 * same choice the web wizard would make.
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

/**
 * Commits an export plan to a vCard file or folder of the user's choosing. The plugin's own
 * options write to the place its configuration names and in its configured version; a path
 * and `--format` given on the command line are the user's choice for this one export.
 */
export async function commitToVcardFile(
  runtime: Runtime,
  plan: PlanHeader,
  choice: VcardFileChoice,
  onProgress: (progress: CommitProgress) => void,
): Promise<PlanHeader> {
  const plans = runtime.stateStore.plans;
  const target = resolve(choice.path);
  const option: ExportOption = choice.oneFilePerContact
    ? new VcardOutlookExport({ targetFolder: target })
    : new VcardSingleExport(choice.format ?? configuredVersion(runtime));
  const crm = await runtime.kernel.get('crmConnectors', runtime.config.connectors.crm);
  const file = option.producesFile ? fileSink(target) : undefined;
  await plans.update(plan.id, { status: 'committing' });
  try {
    const report = await exportPlanToFile(plan, option, file?.sink ?? noSink, {
      state: runtime.stateStore,
      crmHolds: crm.fieldSupport,
      onProgress,
    });
    await file?.close();
    return plans.update(plan.id, {
      status: 'committed',
      summary: {
        committed: { done: report.written, failed: report.problems.length, refused: 0 },
        exported: report.written,
        notExported: report.problems.map((problem) => ({
          code: problem.code,
          message: problem.message,
          ...problem.location,
        })),
        target,
      },
    });
  } catch (error) {
    await file?.close().catch(() => undefined);
    await plans.update(plan.id, { status: 'failed', summary: { error: (error as Error).message } });
    throw error;
  }
}

function configuredVersion(runtime: Runtime): VcardFormat {
  const config = runtime.kernel.pluginConfig('vcard-file') as { version?: VcardFormat } | undefined;
  return config?.version ?? '3.0';
}

/** A file written as the export streams, waiting when the disk is slower than the CRM. */
function fileSink(path: string): { sink: ExportSink; close(): Promise<void> } {
  const stream = createWriteStream(path);
  return {
    sink: {
      start() {},
      async write(chunk) {
        if (!stream.write(chunk)) await once(stream, 'drain');
      },
    },
    close: () =>
      new Promise((done, fail) => {
        stream.once('error', fail);
        stream.end(() => done());
      }),
  };
}

const noSink: ExportSink = { start() {}, async write() {} };
