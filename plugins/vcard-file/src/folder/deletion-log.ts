import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFile } from './atomic-file.js';

const logName = 'deletions.log';
/** Older entries are dropped; a cursor that old has seen each of those cards in a snapshot anyway, or never will. */
const keptEntries = 10_000;

interface Entry {
  seq: number;
  id: string;
}

/**
 * The cards crmsync deleted itself, numbered. A snapshot compares what is with what was, so a
 * card created and deleted between two change runs would never show up as deleted; a store
 * that applied the delete says so in its feed, whichever run comes next.
 */
export class DeletionLog {
  private readonly path: string;

  constructor(private readonly dir: string) {
    this.path = join(dir, logName);
  }

  /** The number of the last deletion recorded, 0 when none was. */
  async last(): Promise<number> {
    return (await this.entries()).at(-1)?.seq ?? 0;
  }

  async record(id: string): Promise<void> {
    const entries = await this.entries();
    const entry: Entry = { seq: (entries.at(-1)?.seq ?? 0) + 1, id };
    await mkdir(this.dir, { recursive: true });
    if (entries.length < keptEntries) {
      await appendFile(this.path, `${JSON.stringify(entry)}\n`, 'utf8');
      return;
    }
    const kept = [...entries.slice(-(keptEntries / 2)), entry];
    await replaceFile(this.path, Buffer.from(kept.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8'));
  }

  /** Ids of the cards deleted after deletion number `seen`. */
  async since(seen: number): Promise<string[]> {
    return (await this.entries()).filter((entry) => entry.seq > seen).map((entry) => entry.id);
  }

  private async entries(): Promise<Entry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: Entry[] = [];
    for (const line of text.split('\n')) {
      try {
        const entry = JSON.parse(line) as Entry;
        if (typeof entry.seq === 'number' && typeof entry.id === 'string') entries.push(entry);
      } catch {
        // A line cut short by a crash while appending names no deletion.
      }
    }
    return entries;
  }
}
