import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { StreamedCard } from './card-file.js';

interface IndexedFile {
  stamp: string;
  crmIds: [crmId: string, id: string][];
}

/**
 * Which cards carry which CRM id (`X-CRMSYNC-ID`), per file, re-read only for files whose
 * size, time or inode changed, so that finding a contact by its CRM id does not read the
 * whole folder each time.
 */
export class CrmIdIndex {
  private readonly files = new Map<string, IndexedFile>();
  /** The files that hold each CRM id, so finding one does not walk every file. */
  private readonly filesOf = new Map<string, Set<string>>();
  /** The folder's own stamp when every file was last brought up to date. */
  private listed?: string;

  constructor(
    private readonly folder: string,
    private readonly streamCards: (name: string) => AsyncIterable<StreamedCard>,
  ) {}

  /** Card ids with this CRM id, after bringing every file of `names` up to date. */
  async lookup(crmId: string, names: readonly string[]): Promise<string[]> {
    const present = new Set(names);
    for (const name of [...this.files.keys()]) if (!present.has(name)) this.index(name, undefined);
    for (const name of names) await this.refresh(name);
    return this.cached(crmId);
  }

  /**
   * Card ids with this CRM id, looking the folder over again only when its listing changed
   * since (a card file added, removed or replaced by someone else): ten thousand creates in a
   * row do not each read ten thousand file stamps. Writes of this connector keep it current.
   */
  async lookupIfListingChanged(crmId: string, names: () => Promise<string[]>): Promise<string[]> {
    const stamp = await this.folderStamp();
    if (stamp === undefined || stamp !== this.listed) {
      await this.lookup(crmId, await names());
      this.listed = stamp;
    }
    return this.cached(crmId);
  }

  /** After this connector wrote `name`: the file is indexed again, and the new listing is its own. */
  async refreshOwn(name: string): Promise<void> {
    await this.refresh(name);
    if (this.listed !== undefined) this.listed = await this.folderStamp();
  }

  /** Card ids with this CRM id as last indexed, for a run that keeps the index current itself. */
  cached(crmId: string): string[] {
    const ids: string[] = [];
    for (const name of this.filesOf.get(crmId) ?? [])
      for (const [candidate, id] of this.files.get(name)?.crmIds ?? []) if (candidate === crmId) ids.push(id);
    return ids;
  }

  /** Re-reads one file if it changed; forgets it when it is gone. */
  async refresh(name: string): Promise<void> {
    const info = await stat(join(this.folder, name), { bigint: true }).catch(() => undefined);
    if (!info) {
      this.index(name, undefined);
      return;
    }
    const stamp = `${info.size}:${info.mtimeNs}:${info.ino}`;
    if (this.files.get(name)?.stamp === stamp) return;
    const crmIds: [string, string][] = [];
    try {
      for await (const card of this.streamCards(name)) {
        if (card.fetched.ok && card.fetched.value.ids.crmId)
          crmIds.push([card.fetched.value.ids.crmId, card.id]);
      }
    } catch {
      // An unreadable file holds no contact that could be found.
    }
    this.index(name, { stamp, crmIds });
  }

  private index(name: string, indexed: IndexedFile | undefined): void {
    for (const [crmId] of this.files.get(name)?.crmIds ?? []) {
      const names = this.filesOf.get(crmId);
      names?.delete(name);
      if (names?.size === 0) this.filesOf.delete(crmId);
    }
    if (!indexed) {
      this.files.delete(name);
      return;
    }
    this.files.set(name, indexed);
    for (const [crmId] of indexed.crmIds) {
      const names = this.filesOf.get(crmId) ?? new Set<string>();
      names.add(name);
      this.filesOf.set(crmId, names);
    }
  }

  private async folderStamp(): Promise<string | undefined> {
    const info = await stat(this.folder, { bigint: true }).catch(() => undefined);
    return info ? `${info.mtimeNs}:${info.ino}` : undefined;
  }
}
