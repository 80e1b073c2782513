import { isAbsolute, join, relative, resolve } from 'node:path';
import { CrmsyncError, type PluginContext } from '../../../core/index.js';
import type { VcardFolderOptions } from './vcard-folder-connector.js';
import type { VcardVersion } from './write/index.js';

/**
 * Large enough for a card with a 5 MiB photo (6.7 MiB as base64), so that the photo limit,
 * not the card limit, decides about it; as in `plugin.json`.
 */
export const defaultMaxCardBytes = 8 * 1024 * 1024;

/**
 * The plugin's configuration file (`config/plugins/vcard-file.json`), as the kernel hands it
 * over: checked against the manifest's schema, every default applied.
 */
export interface VcardFileConfig {
  folder: string;
  /** Where the `vcard-outlook-folder` export writes its files. */
  outlookFolder: string;
  version: VcardVersion;
  maxCardBytes: number;
  maxPhotoBytes: number;
}

export function configOf(context: PluginContext): VcardFileConfig {
  return context.config as unknown as VcardFileConfig;
}

/**
 * The folder connector's options: the folder lies in the plugin's data folder unless the
 * configuration gives an absolute path. A folder setting that cannot work fails here, so only
 * the connector is lost to it, not the exports or the importer.
 */
export function folderOptions(context: PluginContext): VcardFolderOptions {
  const { folder, outlookFolder: _exportOnly, ...rest } = configOf(context);
  const stateDir = join(context.dataDir, 'snapshots');
  const resolved = resolve(inDataDir(context, folder));
  const where = { file: join(context.configDir, 'plugins', `${context.pluginId}.json`), pointer: '/folder' };
  if (folder.trim() === '' || folder.includes('\0')) {
    throw new CrmsyncError('CRMSYNC_ERR_CONFIG_INVALID', 'the vCard folder must be a path', where);
  }
  if (contains(resolved, stateDir) || contains(resolved, context.configDir)) {
    throw new CrmsyncError(
      'CRMSYNC_ERR_CONFIG_INVALID',
      `the vCard folder ${resolved} must not hold crmsync's own data or configuration; name a folder of its own`,
      where,
    );
  }
  return { ...rest, folder: resolved, stateDir, logger: context.logger };
}

/** The folder the Outlook export writes into, resolved like the contact folder. */
export function outlookFolderOf(context: PluginContext): string {
  return inDataDir(context, configOf(context).outlookFolder);
}

function inDataDir(context: PluginContext, folder: string): string {
  return isAbsolute(folder) ? folder : join(context.dataDir, folder);
}

/** Whether `inner` is `outer` or lies inside it. */
function contains(outer: string, inner: string): boolean {
  const path = relative(outer, resolve(inner));
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}
