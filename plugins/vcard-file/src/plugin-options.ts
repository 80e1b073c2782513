import { isAbsolute, join } from 'node:path';
import type { PluginContext } from '../../../core/index.js';
import type { VcardFolderOptions } from './vcard-folder-connector.js';
import type { VcardVersion } from './write/index.js';

/**
 * Large enough for a card with a 5 MiB photo (6.7 MiB as base64), so that the photo limit,
 * not the card limit, decides about it; as in `plugin.json`.
 */
export const defaultMaxCardBytes = 8 * 1024 * 1024;

/** The plugin's configuration file (`config/plugins/vcard-file.json`), defaults applied by the kernel. */
export interface VcardFileConfig {
  folder: string;
  /** Where the `vcard-outlook-folder` export writes its files. */
  outlookFolder: string;
  version: VcardVersion;
  maxCardBytes: number;
  maxPhotoBytes?: number;
}

export function configOf(context: PluginContext): VcardFileConfig {
  const config = context.config;
  const result: VcardFileConfig = {
    folder: typeof config.folder === 'string' ? config.folder : 'vcards',
    outlookFolder: typeof config.outlookFolder === 'string' ? config.outlookFolder : 'outlook-export',
    version: config.version === '4.0' ? '4.0' : '3.0',
    maxCardBytes: typeof config.maxCardBytes === 'number' ? config.maxCardBytes : defaultMaxCardBytes,
  };
  if (typeof config.maxPhotoBytes === 'number') result.maxPhotoBytes = config.maxPhotoBytes;
  return result;
}

/** The folder lies in the plugin's data folder unless the configuration gives an absolute path. */
export function folderOptions(context: PluginContext): VcardFolderOptions {
  const { folder, outlookFolder: _exportOnly, ...rest } = configOf(context);
  return {
    ...rest,
    folder: inDataDir(context, folder),
    stateDir: join(context.dataDir, 'snapshots'),
    logger: context.logger,
  };
}

/** The folder the Outlook export writes into, resolved like the contact folder. */
export function outlookFolderOf(context: PluginContext): string {
  return inDataDir(context, configOf(context).outlookFolder);
}

function inDataDir(context: PluginContext, folder: string): string {
  return isAbsolute(folder) ? folder : join(context.dataDir, folder);
}
