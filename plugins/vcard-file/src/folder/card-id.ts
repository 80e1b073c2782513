import { CrmsyncError } from '../../../../core/index.js';

/**
 * A contact's id in the folder: the file name for a file that holds one card, `file#n` for
 * the n-th card of a file that holds several.
 */
export interface CardId {
  file: string;
  /** 1-based card number; absent for a single-card file. */
  card?: number;
}

export function formatCardId(id: CardId): string {
  return id.card === undefined ? id.file : `${id.file}#${id.card}`;
}

export function parseCardId(id: string): CardId {
  const numbered = /^(.*)#([1-9]\d{0,8})$/.exec(id);
  const file = numbered ? (numbered[1] as string) : id;
  // An id never reaches outside the folder, whatever a caller passes.
  if (!isVcardFileName(file) || /[/\\]/.test(file) || file.startsWith('.') || file.includes('\0')) {
    throw new CrmsyncError('CRMSYNC_ERR_VCARD_ID', `"${id}" is not a contact id of the vCard folder`, {
      recordId: id,
    });
  }
  return numbered ? { file, card: Number(numbered[2]) } : { file };
}

export function isVcardFileName(name: string): boolean {
  return /\.(vcf|vcard)$/i.test(name) && !name.startsWith('.');
}

/** A file name for a new contact: its UID made safe for every file system, plus `.vcf`. */
export function fileNameForUid(uid: string): string {
  const bare = uid.replace(/^urn:uuid:/i, '');
  const safe = bare
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 100);
  return `${safe || 'contact'}.vcf`;
}
