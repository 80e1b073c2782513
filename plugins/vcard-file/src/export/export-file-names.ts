import type { Contact } from '../../../../core/index.js';
import { formattedName } from '../write/index.js';

// Characters Windows refuses in file names, and control characters (\p{Cc}).
const unsafe = /[<>:"/\\|?*\p{Cc}]+/gu;

/**
 * File names for one contact each, readable in Explorer (`Müller, Anna.vcf`) and unique
 * within one export.
 */
export class ExportFileNames {
  private readonly taken = new Set<string>();

  next(contact: Contact): string {
    const person = contact.surname && contact.givenName ? `${contact.surname}, ${contact.givenName}` : '';
    const base =
      (person || formattedName(contact) || contact.ids.crmId || 'Kontakt')
        .replace(unsafe, '_')
        .replace(/\s+/g, ' ')
        .replace(/^[\s.]+|[\s.]+$/g, '')
        .slice(0, 80) || 'Kontakt';
    let name = `${base}.vcf`;
    for (let n = 2; this.taken.has(name.toLowerCase()); n++) name = `${base} (${n}).vcf`;
    this.taken.add(name.toLowerCase());
    return name;
  }
}
