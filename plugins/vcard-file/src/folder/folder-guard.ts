import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CrmsyncError } from '../../../../core/index.js';
import { replaceFile } from './atomic-file.js';

const markerName = 'folder.json';

/** What the guard needs to know of a path: whether it is a folder, and on which device. */
export type StatFolder = (path: string) => Promise<{ isDirectory(): boolean; dev: number }>;

interface ConfiguredFolder {
  path: string;
  /** The folder was a mount point (another device than its parent) when it was configured. */
  mountPoint: boolean;
}

/**
 * Keeps a missing folder from looking like an empty one. The folder is created once, when it
 * is first configured, and that is remembered beside the snapshots (not in the folder, which
 * may be the thing that went away); from then on a missing folder — a USB stick pulled, a
 * share whose mount point is gone — is an error, never "every contact deleted". A folder that
 * was a mount point and now lies on its parent's device is the empty directory a share leaves
 * behind when it is not mounted: missing too.
 */
export class FolderGuard {
  private readonly folder: string;
  private readonly marker: string;
  private configured: ConfiguredFolder | undefined;

  constructor(
    folder: string,
    stateDir: string,
    private readonly statFolder: StatFolder = stat,
  ) {
    this.folder = resolve(folder);
    this.marker = join(stateDir, markerName);
  }

  /** Resolves when the folder is there; throws `CRMSYNC_ERR_FOLDER_MISSING` when it is not. */
  async ready(): Promise<void> {
    this.configured ??= await this.configure();
    const [folder, parent] = await Promise.all([
      this.statOrNothing(this.folder),
      this.statOrNothing(dirname(this.folder)),
    ]);
    if (!folder?.isDirectory()) throw this.missing();
    if (this.configured.mountPoint && parent && folder.dev === parent.dev) throw this.missing();
  }

  /** The error for a folder that went away, also when it goes while a run reads it. */
  missing(): CrmsyncError {
    return new CrmsyncError(
      'CRMSYNC_ERR_FOLDER_MISSING',
      `the vCard folder ${this.folder} is missing or not mounted; crmsync does not create it again, so that its contacts are not taken as deleted`,
      { endpoint: 'vcard-file', file: this.folder },
    );
  }

  /** The folder as first configured; creates it and records it when this is the first time. */
  private async configure(): Promise<ConfiguredFolder> {
    const folders = await this.configuredFolders();
    const known = folders.find((entry) => entry.path === this.folder);
    if (known) return known;
    await mkdir(this.folder, { recursive: true });
    const [folder, parent] = await Promise.all([
      this.statFolder(this.folder),
      this.statFolder(dirname(this.folder)),
    ]);
    const entry: ConfiguredFolder = { path: this.folder, mountPoint: folder.dev !== parent.dev };
    await mkdir(dirname(this.marker), { recursive: true });
    const json = JSON.stringify({ folders: [...folders, entry] }, null, 2);
    await replaceFile(this.marker, Buffer.from(`${json}\n`, 'utf8'));
    return entry;
  }

  /** Every folder this state directory has served, so switching back and forth stays guarded. */
  private async configuredFolders(): Promise<ConfiguredFolder[]> {
    let text: string;
    try {
      text = await readFile(this.marker, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const folders = (JSON.parse(text) as { folders?: unknown }).folders;
    if (!Array.isArray(folders)) return [];
    return folders.filter(
      (entry): entry is ConfiguredFolder =>
        typeof entry?.path === 'string' && typeof entry?.mountPoint === 'boolean',
    );
  }

  private async statOrNothing(path: string) {
    try {
      return await this.statFolder(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
  }
}
