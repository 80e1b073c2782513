import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CrmsyncError } from '../../../../core/index.js';
import { replaceFile } from './atomic-file.js';
import { contentHash } from './card-file.js';

/** Card id → version, as the folder looked at the end of one change run. */
export type Snapshot = Map<string, string>;

/** A snapshot with how far the log of crmsync's own deletions had come when it was taken. */
export interface SavedState {
  snapshot: Snapshot;
  deletionsSeen: number;
  /**
   * Each file's size, time and inode when its cards were read: a file whose stamp is the same
   * next time is not read again, so a run over an unchanged folder reads no card.
   */
  files?: Map<string, string>;
}

const cursorPrefix = 'vcf-snapshot:';
const cursorForm = /^vcf-snapshot:([0-9a-f]{16}):([0-9a-f]{32})$/;
/** Older snapshots are kept for a while, so that a caller that lost its newest cursor can resume. */
const keptSnapshots = 20;

/**
 * Snapshots of the folder for change detection, stored in the plugin's data folder. A cursor
 * names its folder and its snapshot by content, so saving the same state twice gives the same
 * cursor, and a cursor of another folder is refused rather than read as "all cards deleted".
 */
export class SnapshotStore {
  private readonly folderKey: string;

  constructor(
    private readonly dir: string,
    folder: string,
  ) {
    this.folderKey = contentHash(Buffer.from(resolve(folder), 'utf8')).slice(0, 16);
  }

  async save({ snapshot, deletionsSeen, files }: SavedState): Promise<string> {
    const byName = ([a]: [string, string], [b]: [string, string]) => (a < b ? -1 : a > b ? 1 : 0);
    const entries = [...snapshot.entries()].sort(byName);
    const stamps = files ? [...files.entries()].sort(byName) : undefined;
    const json = JSON.stringify({ format: 1, deletionsSeen, entries, ...(stamps ? { files: stamps } : {}) });
    const id = contentHash(Buffer.from(json, 'utf8')).slice(0, 32);
    await mkdir(this.dir, { recursive: true });
    await replaceFile(this.path(id), Buffer.from(json, 'utf8'));
    await this.prune();
    return `${cursorPrefix}${this.folderKey}:${id}`;
  }

  async load(cursor: string): Promise<SavedState> {
    const match = cursorForm.exec(cursor);
    if (!match || match[1] !== this.folderKey) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_CURSOR_INVALID',
        match
          ? `cursor "${cursor}" belongs to another vCard folder; read all contacts again without a cursor`
          : `"${cursor}" is not a cursor of the vCard folder`,
        { endpoint: 'vcard-file' },
      );
    }
    const id = match[2] as string;
    let text: string;
    try {
      text = await readFile(this.path(id), 'utf8');
    } catch {
      throw new CrmsyncError(
        'CRMSYNC_ERR_CURSOR_EXPIRED',
        `the vCard folder no longer keeps the state of cursor "${cursor}"; read all contacts again without a cursor`,
        { endpoint: 'vcard-file', file: this.path(id) },
      );
    }
    const parsed = JSON.parse(text) as {
      entries: [string, string][];
      deletionsSeen?: number;
      files?: [string, string][];
    };
    const state: SavedState = { snapshot: new Map(parsed.entries), deletionsSeen: parsed.deletionsSeen ?? 0 };
    if (parsed.files) state.files = new Map(parsed.files);
    return state;
  }

  private path(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  private async prune(): Promise<void> {
    const names = (await readdir(this.dir)).filter((name) => /^[0-9a-f]{32}\.json$/.test(name));
    if (names.length <= keptSnapshots) return;
    const dated = await Promise.all(
      names.map(async (name) => ({ name, time: (await stat(join(this.dir, name))).mtimeMs })),
    );
    dated.sort((a, b) => b.time - a.time);
    for (const { name } of dated.slice(keptSnapshots)) await rm(join(this.dir, name), { force: true });
  }
}
