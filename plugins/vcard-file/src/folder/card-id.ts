import { CrmsyncError } from '../../../../core/index.js';

/**
 * A contact's id in the folder: the file name for a file that holds one card; for a file that
 * holds several, `file#uid-<UID>` for a card with a UID (URL-encoded), so the id survives when
 * other cards are added, removed or reordered, and `file#n` (its position) for a card without.
 */
export interface CardId {
  file: string;
  /** 1-based card number, for a card of a multi-card file that has no UID of its own. */
  card?: number;
  /** The card's UID, for a card of a multi-card file that is identified by it. */
  uid?: string;
}

const uidMark = 'uid-';

export function formatCardId(id: CardId): string {
  if (id.uid !== undefined) return `${id.file}#${uidMark}${encodeURIComponent(id.uid)}`;
  return id.card === undefined ? id.file : `${id.file}#${id.card}`;
}

export function parseCardId(id: string): CardId {
  const hash = id.lastIndexOf('#');
  let result: CardId = { file: id };
  if (hash > 0) {
    const file = id.slice(0, hash);
    const suffix = id.slice(hash + 1);
    if (/^[1-9]\d{0,8}$/.test(suffix)) result = { file, card: Number(suffix) };
    else if (suffix.startsWith(uidMark) && suffix.length > uidMark.length) {
      try {
        result = { file, uid: decodeURIComponent(suffix.slice(uidMark.length)) };
      } catch {
        result = { file: id };
      }
    }
  }
  const file = result.file;
  // An id never reaches outside the folder, whatever a caller passes.
  if (!isVcardFileName(file) || /[/\\]/.test(file) || file.startsWith('.') || file.includes('\0')) {
    throw new CrmsyncError('CRMSYNC_ERR_VCARD_ID', `"${id}" is not a contact id of the vCard folder`, {
      recordId: id,
    });
  }
  return result;
}

/** True for an id that names a card by its position, which moves when cards before it go. */
export function isPositionalId(id: string): boolean {
  return /#[1-9]\d{0,8}$/.test(id);
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
