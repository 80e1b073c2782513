import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CrmsyncError } from '../../../../core/index.js';
import { replaceFile } from './atomic-file.js';

const markerName = 'folder.json';

/**
 * Keeps a missing folder from looking like an empty one. The folder is created once, when it
 * is first configured, and that is remembered beside the snapshots (not in the folder, which
 * may be the thing that went away); from then on a missing folder — a network share not
 * mounted, a USB stick pulled — is an error, never "every contact deleted".
 */
export class FolderGuard {
  private readonly folder: string;
  private readonly marker: string;
  private known = false;

  constructor(folder: string, stateDir: string) {
    this.folder = resolve(folder);
    this.marker = join(stateDir, markerName);
  }

  /** Resolves when the folder is there; throws `CRMSYNC_ERR_FOLDER_MISSING` when it is not. */
  async ready(): Promise<void> {
    if (!this.known) {
      const configured = await this.configuredFolders();
      if (!configured.includes(this.folder)) {
        await mkdir(this.folder, { recursive: true });
        await mkdir(dirname(this.marker), { recursive: true });
        const folders = [...configured, this.folder];
        await replaceFile(this.marker, Buffer.from(`${JSON.stringify({ folders }, null, 2)}\n`, 'utf8'));
      }
      this.known = true;
    }
    let isFolder: boolean;
    try {
      isFolder = (await stat(this.folder)).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      isFolder = false;
    }
    if (!isFolder) throw this.missing();
  }

  /** The error for a folder that went away, also when it goes while a run reads it. */
  missing(): CrmsyncError {
    return new CrmsyncError(
      'CRMSYNC_ERR_FOLDER_MISSING',
      `the vCard folder ${this.folder} is missing or not mounted; crmsync does not create it again, so that its contacts are not taken as deleted`,
      { endpoint: 'vcard-file', file: this.folder },
    );
  }

  /** Every folder this state directory has served, so switching back and forth stays guarded. */
  private async configuredFolders(): Promise<string[]> {
    let text: string;
    try {
      text = await readFile(this.marker, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const folders = (JSON.parse(text) as { folders?: unknown }).folders;
    return Array.isArray(folders) ? folders.filter((f): f is string => typeof f === 'string') : [];
  }
}
