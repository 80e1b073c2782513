import type { GroupwareConnector } from '../../../../core/index.js';

export type GroupwareKind = 'vcard' | 'outlook';

/** Every groupware the engine's flows are proven against, the vCard folder first. */
export const groupwareKinds: readonly GroupwareKind[] = ['vcard', 'outlook'];

/** A contact as a person types it into the address book, by hand and outside crmsync. */
export interface PersonEntry {
  givenName?: string;
  surname: string;
  email?: string;
  mobile?: string;
  company?: string;
  /** yyyy-mm-dd */
  birthday?: string;
  notes?: string;
  photo?: Uint8Array;
  /** A CRM id left on the contact by an earlier export. */
  crmId?: string;
}

/** What a person changes on a contact already in the address book. */
export interface PersonEdit {
  jobTitle?: string;
  mobile?: string;
  notes?: string;
}

/**
 * One groupware as the tests see it from outside crmsync: seeded and inspected the way a person
 * or the groupware itself would, never through the connector under test.
 */
export interface GroupwareSide {
  readonly kind: GroupwareKind;
  /** How a user names it in a sentence: "the vCard folder", "Outlook". */
  readonly name: string;
  readonly connectorId: 'vcard-file' | 'outlook-graph';
  /** What a crmsync process needs in its environment to reach this groupware. */
  readonly env: NodeJS.ProcessEnv;
  /**
   * The further accounts configured beside this one, the default (more mailboxes of the same
   * tenant, more folders), each seen from outside as this one is; none unless asked for.
   */
  readonly others: readonly GroupwareSide[];
  /** Writes the plugin configuration files crmsync reads for this groupware, every account of it, into `configDir`. */
  configure(configDir: string): void;
  /** A connector of its own, outside any runtime, as the sync harness drives it. */
  connector(): Promise<GroupwareConnector>;
  /** Adds a contact as a person would; answers its groupware id. */
  add(entry: PersonEntry): string;
  /** The groupware ids of every contact it holds now. */
  ids(): string[];
  /** The CRM id stored on a contact, read as the groupware keeps it (E5). */
  crmIdOf(id: string): string | undefined;
  /** Changes whenever the stored contact is written, even with the same content. */
  fingerprint(id: string): string;
  /** Everything it holds, to compare before and after something that must change nothing. */
  snapshot(): string;
  /** Changes a contact as a person would; `at` says when, for rules that compare times. */
  change(id: string, edit: PersonEdit, at?: string): Promise<void>;
  /** Deletes a contact as a person would. */
  remove(id: string): void;
  close(): Promise<void>;
}

/**
 * Loaded on demand, so vCard-only tests never load the Graph emulator and its client
 * libraries. `accounts` asks for that many accounts: the side answered is the first, the
 * default; the others are its `others`.
 */
export async function openGroupwareSide(
  kind: GroupwareKind,
  dir: string,
  accounts = 1,
): Promise<GroupwareSide> {
  if (kind === 'vcard') return (await import('./vcard-side.js')).VcardSide.open(dir, accounts);
  return (await import('./outlook-side.js')).OutlookSide.open(dir, accounts);
}

/** How a user names each groupware in a sentence, before one is opened. */
export const groupwareNames: Record<GroupwareKind, string> = {
  vcard: 'the vCard folder',
  outlook: 'Outlook',
};
