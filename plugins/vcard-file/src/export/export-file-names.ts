import { createHash } from 'node:crypto';
import type { Contact } from '../../../../core/index.js';
import { formattedName } from '../write/index.js';
import { safeBaseName } from './safe-file-name.js';

const extension = '.vcf';
const numbered = /^(.*) \((\d{1,9})\)$/;

/**
 * File names for one contact each, readable in Explorer (`Müller, Anna.vcf`) and unique
 * within one export, compared as Windows and macOS do (case-insensitive, NFC). A counter per
 * base name makes 20,000 people of one name cost 20,000 steps, not 200 million.
 */
export class ExportFileNames {
  // Names are kept as 48-bit hashes: 100,000 names cost a few MiB, not tens. Two names with
  // one hash (odds about 1 in 50,000 for an export of 100,000) cost a skipped number, never a clash.
  private readonly taken = new Set<number>();
  /** Per base name, the highest number given so far; 1 for the plain name. */
  private readonly counters = new Map<number, number>();

  /** Names already present (a folder's files), so that new ones go past them. */
  seed(existing: Iterable<string>): void {
    for (const name of existing) {
      if (!name.toLowerCase().endsWith(extension)) continue;
      const stem = name.slice(0, -extension.length).normalize('NFC');
      this.taken.add(fold(stem));
      const match = numbered.exec(stem);
      const [base, n] = match ? [match[1] as string, Number(match[2])] : [stem, 1];
      const key = fold(base);
      this.counters.set(key, Math.max(this.counters.get(key) ?? 0, n));
    }
  }

  next(contact: Contact): string {
    const person = contact.surname && contact.givenName ? `${contact.surname}, ${contact.givenName}` : '';
    const base = safeBaseName(person || formattedName(contact) || contact.ids.crmId || '', 'Kontakt');
    const key = fold(base);
    let n = this.counters.get(key) ?? 0;
    let stem: string;
    do {
      n++;
      stem = n === 1 ? base : `${base} (${n})`;
    } while (this.taken.has(fold(stem)));
    this.counters.set(key, n);
    this.taken.add(fold(stem));
    return stem + extension;
  }
}

/** A name as Windows and macOS compare it (case-insensitive, NFC), hashed to 48 bits. */
function fold(stem: string): number {
  return createHash('sha256').update(stem.normalize('NFC').toLowerCase(), 'utf8').digest().readUIntBE(0, 6);
}
