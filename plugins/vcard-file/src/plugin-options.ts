import { isAbsolute, join } from 'node:path';
import type { PluginContext } from '../../../core/index.js';
import type { VcardFolderOptions } from './vcard-folder-connector.js';
import type { VcardVersion } from './write/index.js';

/** The plugin's configuration file (`config/plugins/vcard-file.json`), defaults applied by the kernel. */
export interface VcardFileConfig {
  folder: string;
  version: VcardVersion;
  maxCardBytes?: number;
  maxPhotoBytes?: number;
}

export function configOf(context: PluginContext): VcardFileConfig {
  const config = context.config;
  const result: VcardFileConfig = {
    folder: typeof config.folder === 'string' ? config.folder : 'vcards',
    version: config.version === '4.0' ? '4.0' : '3.0',
  };
  if (typeof config.maxCardBytes === 'number') result.maxCardBytes = config.maxCardBytes;
  if (typeof config.maxPhotoBytes === 'number') result.maxPhotoBytes = config.maxPhotoBytes;
  return result;
}

/** The folder lies in the plugin's data folder unless the configuration gives an absolute path. */
export function folderOptions(context: PluginContext): VcardFolderOptions {
  const { folder, ...rest } = configOf(context);
  return {
    ...rest,
    folder: isAbsolute(folder) ? folder : join(context.dataDir, folder),
    stateDir: join(context.dataDir, 'snapshots'),
    logger: context.logger,
  };
}
