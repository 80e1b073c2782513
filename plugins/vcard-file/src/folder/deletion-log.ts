import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
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
  /**
   * The log's end as this process last left it: a run of deletes appends without reading the
   * whole log again each time. Its size tells whether anyone else wrote the file since.
   */
  private tail?: { size: number; seq: number; count: number };

  constructor(private readonly dir: string) {
    this.path = join(dir, logName);
  }

  /** The number of the last deletion recorded, 0 when none was. */
  async last(): Promise<number> {
    return (await this.entries()).at(-1)?.seq ?? 0;
  }

  async record(id: string): Promise<void> {
    const { seq, count } = await this.end();
    const entry: Entry = { seq: seq + 1, id };
    const line = `${JSON.stringify(entry)}\n`;
    await mkdir(this.dir, { recursive: true });
    if (count < keptEntries) {
      await appendFile(this.path, line, 'utf8');
      const size = (this.tail?.size ?? 0) + Buffer.byteLength(line);
      this.tail = { size, seq: entry.seq, count: count + 1 };
      return;
    }
    const kept = [...(await this.entries()).slice(-(keptEntries / 2)), entry];
    const text = Buffer.from(kept.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
    await replaceFile(this.path, text);
    this.tail = { size: text.length, seq: entry.seq, count: kept.length };
  }

  /** The last sequence number and the number of entries, read again only when the file changed. */
  private async end(): Promise<{ seq: number; count: number }> {
    const size = await stat(this.path).then(
      (found) => found.size,
      () => 0,
    );
    if (this.tail?.size === size) return this.tail;
    const entries = await this.entries();
    this.tail = { size, seq: entries.at(-1)?.seq ?? 0, count: entries.length };
    return this.tail;
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
