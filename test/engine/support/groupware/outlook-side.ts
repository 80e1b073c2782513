import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroupwareConnector } from '../../../../core/index.js';
import { type GraphServer, startGraphServer } from '../../../../emulators/graph/index.js';
import type { Mailbox, StoredContact } from '../../../../emulators/graph/store/mailbox-store.js';
import { crmIdProperty } from '../../../../plugins/outlook-graph/src/crm-id-property.js';
import { OutlookGraphConnector } from '../../../../plugins/outlook-graph/src/outlook-graph-connector.js';
import { type GroupwareSide, groupwareNames, type PersonEdit, type PersonEntry } from './groupware-side.js';

/** The mailboxes of the tenant, in the order they are configured: the first is the default account. */
const mailboxes = ['anna@contoso.example', 'ben@contoso.example', 'carla@contoso.example'];
const contactFolder = 'CRM';
const secretVariable = 'GRAPH_CLIENT_SECRET';

/**
 * Outlook: one mailbox of the Graph emulator over real HTTPS, crmsync's contacts in its folder
 * "CRM". A person's edits go straight into the emulator's mailbox, as Outlook makes them.
 * Further mailboxes of the same tenant are further accounts (`others`).
 */
export class OutlookSide implements GroupwareSide {
  readonly kind = 'outlook';
  readonly name = groupwareNames.outlook;
  readonly connectorId = 'outlook-graph';
  private own: OutlookGraphConnector | undefined;

  private constructor(
    readonly server: GraphServer,
    private readonly dir: string,
    /** The mailbox this side is. */
    readonly user: string,
    readonly others: readonly OutlookSide[] = [],
  ) {}

  static async open(dir: string, accounts = 1): Promise<OutlookSide> {
    const users = mailboxes.slice(0, accounts);
    const server = await startGraphServer({ mailboxes: users });
    const others = users.slice(1).map((user) => new OutlookSide(server, dir, user));
    return new OutlookSide(server, dir, users[0]!, others);
  }

  get env(): NodeJS.ProcessEnv {
    return { [secretVariable]: this.server.app.clientSecret };
  }

  configure(configDir: string): void {
    writeFileSync(join(configDir, 'graph-ca.pem'), this.server.ca);
    writeFileSync(
      join(configDir, 'plugins', 'outlook-graph.json'),
      JSON.stringify({
        tenantId: this.server.app.tenantId,
        clientId: this.server.app.clientId,
        clientSecret: `\${env:${secretVariable}}`,
        mailbox: this.user,
        ...(this.others.length > 0 ? { mailboxes: this.others.map((other) => other.user) } : {}),
        contactFolder,
        graphBaseUrl: this.server.url,
        authorityHost: this.server.authorityHost,
        caFile: 'graph-ca.pem',
      }),
    );
    // The fallback must never be taken here; a folder of its own shows it if it were.
    writeFileSync(
      join(configDir, 'plugins', 'vcard-file.json'),
      JSON.stringify({ folder: join(this.dir, 'fallback-vcards') }),
    );
  }

  async connector(): Promise<GroupwareConnector> {
    this.own ??= new OutlookGraphConnector({
      ...this.server.app,
      mailbox: this.user,
      contactFolder,
      graphBaseUrl: this.server.url,
      authorityHost: this.server.authorityHost,
      ca: this.server.ca,
    });
    return this.own;
  }

  add(entry: PersonEntry): string {
    const data: Record<string, unknown> = { givenName: entry.givenName ?? null, surname: entry.surname };
    if (entry.email !== undefined) data.emailAddresses = [{ name: entry.email, address: entry.email }];
    if (entry.mobile !== undefined) data.mobilePhone = entry.mobile;
    if (entry.company !== undefined) data.companyName = entry.company;
    // Outlook keeps a birthday as a time on that day.
    if (entry.birthday !== undefined) data.birthday = `${entry.birthday}T11:59:00Z`;
    if (entry.notes !== undefined) data.personalNotes = entry.notes;
    const extended = entry.crmId === undefined ? [] : [{ id: crmIdProperty, value: entry.crmId }];
    const contact = this.mailbox.createContact(this.folderId(), data, extended);
    if (entry.photo)
      this.mailbox.setPhoto(contact.id, { bytes: Buffer.from(entry.photo), mediaType: 'image/png' });
    return contact.id;
  }

  ids(): string[] {
    return this.contacts().map((contact) => contact.id);
  }

  crmIdOf(id: string): string | undefined {
    // The emulator keys extended properties by their id in lower case, as Graph compares them.
    return this.mailbox.contact(id).extended.get(crmIdProperty.toLowerCase())?.value;
  }

  fingerprint(id: string): string {
    return this.mailbox.contact(id).changeKey;
  }

  snapshot(): string {
    return JSON.stringify(
      this.contacts()
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((contact) => ({
          ...contact,
          extended: [...contact.extended.values()],
          photo: contact.photo?.bytes.toString('base64'),
        })),
    );
  }

  async change(id: string, edit: PersonEdit, at?: string): Promise<void> {
    const data: Record<string, unknown> = {};
    if (edit.jobTitle !== undefined) data.jobTitle = edit.jobTitle;
    if (edit.mobile !== undefined) data.mobilePhone = edit.mobile;
    if (edit.notes !== undefined) data.personalNotes = edit.notes;
    const changed = this.mailbox.updateContact(id, data, []);
    if (at) changed.lastModifiedDateTime = at.replace(/\.\d+Z$/, 'Z');
  }

  remove(id: string): void {
    this.mailbox.deleteContact(id);
  }

  async close(): Promise<void> {
    for (const other of this.others) other.own?.close();
    this.own?.close();
    await this.server.close();
  }

  private get mailbox(): Mailbox {
    return this.server.store.mailbox(this.user);
  }

  private contacts(): StoredContact[] {
    return this.mailbox.contactsIn(this.folderId());
  }

  /** crmsync's folder, made as a person would make it when the connector has not made it yet. */
  private folderId(): string {
    const existing = this.mailbox
      .childFolders(this.mailbox.defaultFolderId)
      .find((folder) => folder.displayName === contactFolder);
    return (existing ?? this.mailbox.createFolder(contactFolder, this.mailbox.defaultFolderId)).id;
  }
}
