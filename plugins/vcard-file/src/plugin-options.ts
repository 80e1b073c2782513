import { isAbsolute, join, relative, resolve } from 'node:path';
import { CrmsyncError, type PluginContext } from '../../../core/index.js';
import { contentHash } from './folder/card-file.js';
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
  /** The default account's folder. */
  folder: string;
  /** Further folders, each an account of its own. */
  folders: string[];
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
 * The options of each folder connector, the default (`folder`) first, then `folders`: each
 * lies in the plugin's data folder unless the configuration gives an absolute path, and keeps
 * its change-detection state in a folder of its own. A folder setting that cannot work fails
 * here, so only the connector is lost to it, not the exports or the importer.
 */
export function folderOptions(context: PluginContext): VcardFolderOptions[] {
  const { folder, folders, outlookFolder: _exportOnly, ...rest } = configOf(context);
  const file = join(context.configDir, 'plugins', `${context.pluginId}.json`);
  const configured = [
    { path: folder, pointer: '/folder' },
    ...folders.map((path, index) => ({ path, pointer: `/folders/${index}` })),
  ];
  const accounts = configured.map(({ path, pointer }, index) => {
    const where = { file, pointer };
    if (path.trim() === '' || path.includes('\0'))
      throw new CrmsyncError('CRMSYNC_ERR_CONFIG_INVALID', 'the vCard folder must be a path', where);
    const resolved = resolve(inDataDir(context, path));
    // The first folder keeps the state folder it has always had; the others get one each.
    const stateName = index === 0 ? 'snapshots' : `snapshots-${contentHash(resolved).slice(0, 16)}`;
    return { resolved, where, stateDir: join(context.dataDir, stateName) };
  });
  for (const [index, account] of accounts.entries()) {
    const twin = accounts.findIndex((other) => other.resolved === account.resolved);
    if (twin !== index)
      throw new CrmsyncError(
        'CRMSYNC_ERR_CONFIG_INVALID',
        `the vCard folder ${account.resolved} is configured twice; each folder is one account`,
        account.where,
      );
    if (
      accounts.some((other) => contains(account.resolved, other.stateDir)) ||
      contains(account.resolved, context.configDir)
    )
      throw new CrmsyncError(
        'CRMSYNC_ERR_CONFIG_INVALID',
        `the vCard folder ${account.resolved} must not hold crmsync's own data or configuration; name a folder of its own`,
        account.where,
      );
  }
  return accounts.map(({ resolved, stateDir }) => ({
    ...rest,
    folder: resolved,
    stateDir,
    logger: context.logger,
  }));
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
