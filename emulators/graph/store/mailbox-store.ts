import { badRequest, GraphFailure, notFound } from '../api/graph-error.js';
import { type ContactData, contactProperties, emptyValue } from './contact-properties.js';
import { changeKey, itemId } from './ids.js';

export interface ExtendedProperty {
  id: string;
  value: string;
}

export interface StoredPhoto {
  bytes: Buffer;
  mediaType: string;
}

export interface StoredContact {
  id: string;
  folderId: string;
  changeKey: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  categories: string[];
  data: ContactData;
  /** Keyed by the property id in lower case: GUIDs and names compare without case. */
  extended: Map<string, ExtendedProperty>;
  photo?: StoredPhoto;
  /** The mailbox's change sequence at this contact's last change; delta rounds compare it. */
  sequence: number;
}

export interface ContactFolder {
  id: string;
  displayName: string;
  parentFolderId: string;
}

/** A deletion remembered for delta rounds that started before it. */
export interface Tombstone {
  id: string;
  folderId: string;
  sequence: number;
}

/**
 * Outlook's PidLidHasPicture (PSETID_Address, LID 0x8015): MS-OXOCNTC has it follow the contact
 * photo's addition and removal, and Graph expands it like any single-value extended property.
 */
export const hasPictureProperty = 'Boolean {00062004-0000-0000-C000-000000000046} Id 0x8015';

/** One user's mailbox: the default contacts folder, the folders below it, contacts and photos. */
export class Mailbox {
  readonly rootFolderId = itemId();
  readonly defaultFolderId = itemId();
  readonly folders = new Map<string, ContactFolder>();
  readonly contacts = new Map<string, StoredContact>();
  readonly tombstones: Tombstone[] = [];
  sequence = 0;

  constructor(
    readonly userId: string,
    private readonly now: () => string,
  ) {}

  isFolder(id: string): boolean {
    return id === this.defaultFolderId || this.folders.has(id);
  }

  folder(id: string): ContactFolder {
    if (id === this.defaultFolderId)
      return { id, displayName: 'Contacts', parentFolderId: this.rootFolderId };
    const folder = this.folders.get(id);
    if (!folder) throw notFound();
    return folder;
  }

  childFolders(parentId: string): ContactFolder[] {
    return [...this.folders.values()].filter((folder) => folder.parentFolderId === parentId);
  }

  createFolder(displayName: unknown, parentId: string): ContactFolder {
    if (typeof displayName !== 'string' || displayName.trim() === '')
      throw badRequest('The folder name must not be empty.', 'ErrorInvalidArgument');
    const siblings = this.childFolders(parentId);
    if (siblings.some((folder) => folder.displayName.toLowerCase() === displayName.toLowerCase()))
      throw new GraphFailure(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
    const folder = { id: itemId(), displayName, parentFolderId: parentId };
    this.folders.set(folder.id, folder);
    return folder;
  }

  renameFolder(id: string, displayName: unknown): ContactFolder {
    const folder = this.folder(id);
    if (id === this.defaultFolderId || !this.folders.has(id))
      throw new GraphFailure(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    if (typeof displayName === 'string' && displayName.trim()) folder.displayName = displayName;
    return folder;
  }

  deleteFolder(id: string): void {
    if (id === this.defaultFolderId)
      throw new GraphFailure(
        403,
        'ErrorDeleteDistinguishedFolder',
        'Distinguished folders cannot be deleted.',
      );
    this.folder(id);
    for (const child of this.childFolders(id)) this.deleteFolder(child.id);
    for (const contact of [...this.contacts.values()])
      if (contact.folderId === id) this.deleteContact(contact.id);
    this.folders.delete(id);
  }

  contact(id: string): StoredContact {
    const contact = this.contacts.get(id);
    if (!contact) throw notFound();
    return contact;
  }

  contactsIn(folderId: string): StoredContact[] {
    return [...this.contacts.values()].filter((contact) => contact.folderId === folderId);
  }

  createContact(folderId: string, data: ContactData, extended: ExtendedProperty[]): StoredContact {
    this.folder(folderId);
    const now = this.now();
    const { categories, ...rest } = data;
    const contact: StoredContact = {
      id: itemId(),
      folderId,
      changeKey: changeKey(),
      createdDateTime: now,
      lastModifiedDateTime: now,
      categories: (categories as string[] | undefined) ?? [],
      data: {},
      extended: new Map(),
      sequence: ++this.sequence,
    };
    for (const property of contactProperties) contact.data[property] = rest[property] ?? emptyValue(property);
    this.setExtended(contact, extended);
    contact.data.displayName ??= displayNameOf(contact.data);
    this.contacts.set(contact.id, contact);
    return contact;
  }

  updateContact(id: string, data: ContactData, extended: ExtendedProperty[]): StoredContact {
    const contact = this.contact(id);
    const { categories, ...rest } = data;
    if (categories) contact.categories = categories as string[];
    Object.assign(contact.data, rest);
    // Outlook recomputes the display name from the name parts unless the update names it.
    if (!('displayName' in rest) && ('givenName' in rest || 'surname' in rest))
      contact.data.displayName = displayNameOf(contact.data);
    this.setExtended(contact, extended);
    this.touch(contact);
    return contact;
  }

  deleteContact(id: string): void {
    const contact = this.contact(id);
    this.contacts.delete(id);
    this.tombstones.push({ id, folderId: contact.folderId, sequence: ++this.sequence });
  }

  setPhoto(id: string, photo: StoredPhoto | undefined): StoredContact {
    const contact = this.contact(id);
    if (photo) contact.photo = photo;
    else delete contact.photo;
    this.setExtended(contact, [{ id: hasPictureProperty, value: photo ? 'true' : 'false' }]);
    this.touch(contact);
    return contact;
  }

  private touch(contact: StoredContact): void {
    contact.changeKey = changeKey();
    contact.lastModifiedDateTime = this.now();
    contact.sequence = ++this.sequence;
  }

  private setExtended(contact: StoredContact, extended: ExtendedProperty[]): void {
    for (const property of extended) contact.extended.set(property.id.toLowerCase(), property);
  }
}

function displayNameOf(data: ContactData): string | null {
  const name = [data.givenName, data.surname].filter((part) => typeof part === 'string' && part).join(' ');
  return name || null;
}

/** Every mailbox the emulated tenant has, by user id or principal name (without case). */
export class GraphStore {
  private readonly mailboxes = new Map<string, Mailbox>();

  constructor(
    users: readonly string[],
    readonly now: () => string = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  ) {
    for (const user of users) this.mailboxes.set(user.toLowerCase(), new Mailbox(user, now));
  }

  get users(): string[] {
    return [...this.mailboxes.values()].map((mailbox) => mailbox.userId);
  }

  mailbox(userId: string): Mailbox {
    const mailbox = this.mailboxes.get(userId.toLowerCase());
    if (!mailbox)
      throw new GraphFailure(404, 'ErrorInvalidUser', `The requested user '${userId}' is invalid.`);
    return mailbox;
  }
}
