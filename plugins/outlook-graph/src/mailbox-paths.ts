import { selectMapped } from './contact-mapping.js';
import { expandMapped } from './crm-id-property.js';

/** Where one account's contacts live in Graph: the mailbox and its folder. */
export interface MailboxPaths {
  /** The collection new contacts are created in. */
  readonly contacts: string;
  /** The folder's change feed. */
  readonly delta: string;
  item(id: string): string;
  photo(id: string): string;
}

/** Every contact of the folder, a thousand to a page, with the properties crmsync reads. */
export function listUrl(paths: MailboxPaths): string {
  return `${paths.contacts}?$top=1000&$select=${selectMapped}&$expand=${expandMapped}`;
}

/** One contact with the properties crmsync reads. */
export function readUrl(paths: MailboxPaths, id: string): string {
  return `${paths.item(id)}?$select=${selectMapped}&$expand=${expandMapped}`;
}
