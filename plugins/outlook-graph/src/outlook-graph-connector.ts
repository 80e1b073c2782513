import {
  type Contact,
  type ContactChange,
  type CreateOperation,
  CrmsyncError,
  type Fetched,
  type FieldSupport,
  type GroupwareCapabilities,
  type GroupwareConnector,
  type HealthReport,
  type Logger,
  type OperationSource,
  type OutboundRequests,
  silentLogger,
  type WriteOutcome,
} from '../../../core/index.js';
import { BatchWriter } from './batch-writer.js';
import { outlookCapabilities, outlookFieldSupport, selectMapped } from './contact-mapping.js';
import { crmIdFilter, expandMapped, odataString } from './crm-id-property.js';
import { DeltaReader } from './delta-reader.js';
import { appTokenSource } from './graph/credential.js';
import { connectGraph, type GraphConnection } from './graph/graph-client.js';
import { errorFromAnswer } from './graph-problems.js';
import { MailboxChannel } from './mailbox-channel.js';
import { MailboxPacer, type RequestBudget, realSleep, type Sleep } from './mailbox-pacer.js';
import { listUrl, type MailboxPaths, readUrl } from './mailbox-paths.js';
import { photoFromAnswer, withPhotos } from './photo-reader.js';

export interface OutlookGraphOptions {
  tenantId: string;
  clientId: string;
  /** Only ever from `${env:…}` in the configuration. */
  clientSecret?: string;
  certificatePath?: string;
  /** The mailbox's user principal name or id. */
  mailbox: string;
  /** A contact folder by name, created when missing; empty for the mailbox's default Contacts folder. */
  contactFolder?: string;
  /** Default https://graph.microsoft.com/v1.0 */
  graphBaseUrl?: string;
  /** Default https://login.microsoftonline.com */
  authorityHost?: string;
  /** An extra certificate authority (PEM) to trust, e.g. the emulator's. */
  ca?: string;
  logger?: Logger;
  /** Where each request to Graph is reported, for the host's metrics. */
  outbound?: OutboundRequests;
  /** A connection shared by the connectors of several mailboxes of one app. */
  connection?: GraphConnection;
  sleep?: Sleep;
  /**
   * The app's request budget per mailbox, when the tenant's is known. Without one, Outlook's
   * documented 10,000 per 10 minutes holds until Graph refuses a request; the budget is then
   * learned from that refusal.
   */
  budget?: RequestBudget;
  /** Every account of the connector this one belongs to, itself among them; itself alone unless given. */
  accounts?: () => readonly GroupwareConnector[];
  retry?: {
    maxAttempts?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    clientRetryDelaySeconds?: number;
  };
  timeoutMs?: number;
}

const defaultBaseUrl = 'https://graph.microsoft.com/v1.0';

/** The Graph connection an app's connectors share: one sign-in, one pool of connections. */
export function connectionFor(options: Omit<OutlookGraphOptions, 'mailbox'>): GraphConnection {
  return connectGraph({
    baseUrl: options.graphBaseUrl ?? defaultBaseUrl,
    getAccessToken: appTokenSource({
      tenantId: options.tenantId,
      clientId: options.clientId,
      ...(options.clientSecret !== undefined ? { clientSecret: options.clientSecret } : {}),
      ...(options.certificatePath !== undefined ? { certificatePath: options.certificatePath } : {}),
      authorityHost: options.authorityHost ?? 'https://login.microsoftonline.com',
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
    }),
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.retry?.clientRetryDelaySeconds !== undefined
      ? { retryDelaySeconds: options.retry.clientRetryDelaySeconds }
      : {}),
    ...(options.outbound ? { onRequest: (request) => options.outbound!.ended(request) } : {}),
  });
}

/**
 * Outlook contacts of one mailbox (one folder in it) through Microsoft Graph, as a groupware
 * contact store: writes in JSON batches, reads with `$select`, changes through delta, the CRM
 * id as crmsync's own extended property.
 */
export class OutlookGraphConnector implements GroupwareConnector {
  readonly capabilities: GroupwareCapabilities = outlookCapabilities;
  readonly fieldSupport: FieldSupport = outlookFieldSupport;
  /** The mailbox and folder this store is, e.g. `anna@firma.de/CRM`: links and cursors belong to it. */
  readonly accountKey: string;

  private readonly connection: GraphConnection;
  private readonly ownsConnection: boolean;
  private readonly channel: MailboxChannel;
  private readonly logger: Logger;
  private readonly user: string;
  private resolved: Promise<MailboxPaths> | undefined;
  private writer: BatchWriter | undefined;
  private reader: DeltaReader | undefined;

  constructor(private readonly options: OutlookGraphOptions) {
    // Mailbox names do not depend on case; the same mailbox must not become a second account.
    this.accountKey = `${options.mailbox.trim().toLowerCase()}/${options.contactFolder || 'Contacts'}`;
    this.user = `/users/${encodeURIComponent(options.mailbox)}`;
    this.logger = options.logger ?? silentLogger;
    this.ownsConnection = !options.connection;
    this.connection = options.connection ?? connectionFor(options);
    const sleep = options.sleep ?? realSleep;
    this.channel = new MailboxChannel(
      this.connection,
      new MailboxPacer(sleep, Date.now, options.budget),
      sleep,
      { endpoint: `outlook-graph ${this.accountKey}` },
    );
  }

  accounts(): readonly GroupwareConnector[] {
    return this.options.accounts?.() ?? [this];
  }

  async health(): Promise<HealthReport> {
    const started = Date.now();
    try {
      const paths = await this.paths();
      const answer = await this.channel.get(`${paths.contacts}?$top=1&$select=id`);
      if (answer.status !== 200)
        throw errorFromAnswer(answer.status, answer.body, 'checking the mailbox', this.channel.where);
      const base = this.options.graphBaseUrl ?? defaultBaseUrl;
      return { ok: true, detail: `reachable at ${base} as ${this.accountKey} (${Date.now() - started} ms)` };
    } catch (error) {
      return {
        ok: false,
        detail: `Outlook (${this.accountKey}) is not reachable: ${(error as Error).message}`,
      };
    }
  }

  async *listContacts(): AsyncIterable<Fetched<Contact>> {
    const paths = await this.paths();
    for await (const page of this.channel.pages(listUrl(paths), 'listing Outlook contacts'))
      yield* await withPhotos(page, this.channel, paths);
  }

  async getContact(id: string): Promise<Contact | undefined> {
    const paths = await this.paths();
    const answer = await this.channel.get(readUrl(paths, id));
    if (answer.status === 404 || answer.status === 400) return undefined;
    if (answer.status !== 200)
      throw errorFromAnswer(answer.status, answer.body, 'reading an Outlook contact', {
        ...this.channel.where,
        recordId: id,
      });
    return this.inModel(answer.body as Record<string, unknown>, paths);
  }

  /** The photo Outlook holds for a contact, read on its own. */
  async readPhoto(id: string): Promise<Contact['photo']> {
    const paths = await this.paths();
    const photo = await this.channel.get(paths.photo(id));
    return photoFromAnswer({ status: photo.status, body: photo.body, headers: headersOf(photo.headers) });
  }

  async findByCrmId(crmId: string): Promise<Contact | undefined> {
    const paths = await this.paths();
    const answer = await this.channel.get(
      `${paths.contacts}?$filter=${encodeURIComponent(crmIdFilter(crmId))}&$select=${selectMapped}&$expand=${expandMapped}`,
    );
    if (answer.status !== 200)
      throw errorFromAnswer(
        answer.status,
        answer.body,
        'searching an Outlook contact by CRM id',
        this.channel.where,
      );
    const found = (answer.body as { value?: Record<string, unknown>[] }).value ?? [];
    if (found.length > 1)
      this.logger.warn(
        { crmId, ids: found.map((item) => item.id) },
        'several Outlook contacts carry the same CRM id',
      );
    return found[0] ? this.inModel(found[0], paths) : undefined;
  }

  async findCreated(operation: CreateOperation): Promise<Contact | undefined> {
    const earlier = (await this.writerFor()).earlier(operation.key);
    if (earlier?.ok) return this.getContact(earlier.id);
    const crmId = operation.contact.ids.crmId;
    return crmId ? this.findByCrmId(crmId) : undefined;
  }

  async *apply(operations: OperationSource): AsyncIterable<WriteOutcome> {
    yield* (await this.writerFor()).apply(operations);
  }

  async *changesSince(cursor?: string): AsyncIterable<Fetched<ContactChange>> {
    this.reader ??= new DeltaReader({
      channel: this.channel,
      baseUrl: this.options.graphBaseUrl ?? defaultBaseUrl,
      paths: await this.paths(),
    });
    yield* this.reader.changesSince(cursor);
  }

  close(): void {
    if (this.ownsConnection) this.connection.close();
  }

  /** One contact with its photo, or the problem that it cannot be read. */
  private async inModel(item: Record<string, unknown>, paths: MailboxPaths): Promise<Contact> {
    const [fetched] = await withPhotos([item], this.channel, paths);
    if (!fetched!.ok) {
      const { code, message, location } = fetched!.problem;
      throw new CrmsyncError(code, message, location);
    }
    return fetched!.value;
  }

  private async writerFor(): Promise<BatchWriter> {
    this.writer ??= new BatchWriter({
      channel: this.channel,
      paths: await this.paths(),
      logger: this.logger,
      ...this.options.retry,
    });
    return this.writer;
  }

  /** The folder's paths; a named folder is looked up once and created when missing. */
  private paths(): Promise<MailboxPaths> {
    this.resolved ??= this.resolvePaths().catch((error) => {
      this.resolved = undefined;
      throw error;
    });
    return this.resolved;
  }

  private async resolvePaths(): Promise<MailboxPaths> {
    const user = this.user;
    const item = (id: string) => `${user}/contacts/${encodeURIComponent(id)}`;
    const photo = (id: string) => `${item(id)}/photo/$value`;
    const name = this.options.contactFolder;
    if (!name) {
      // The default folder's documented delta needs its id, which an empty folder does not
      // reveal; Graph's `/contacts/delta` covers the default folder without one.
      const check = await this.channel.get(`${user}/contacts?$top=1&$select=id`);
      if (check.status !== 200)
        throw errorFromAnswer(check.status, check.body, 'opening the mailbox', this.channel.where);
      return { contacts: `${user}/contacts`, delta: `${user}/contacts/delta`, item, photo };
    }
    const folderId = await this.folderId(name);
    const folder = `${user}/contactFolders/${encodeURIComponent(folderId)}`;
    return { contacts: `${folder}/contacts`, delta: `${folder}/contacts/delta`, item, photo };
  }

  private async folderId(name: string): Promise<string> {
    const lookup = `${this.user}/contactFolders?$filter=${encodeURIComponent(`displayName eq ${odataString(name)}`)}&$select=id,displayName`;
    const { where } = this.channel;
    for (let attempt = 0; attempt < 2; attempt++) {
      const found = await this.channel.get(lookup);
      if (found.status !== 200)
        throw errorFromAnswer(found.status, found.body, 'looking up the contact folder', where);
      const folder = ((found.body as { value?: { id: string }[] }).value ?? [])[0];
      if (folder) return folder.id;
      const created = await this.channel.send({
        method: 'POST',
        url: `${this.user}/contactFolders`,
        body: { displayName: name },
      });
      if (created.status === 201) {
        this.logger.info(
          { mailbox: this.options.mailbox, folder: name },
          'created the Outlook contact folder',
        );
        return (created.body as { id: string }).id;
      }
      // Someone else created it meanwhile: look it up again.
      if (created.status !== 409)
        throw errorFromAnswer(created.status, created.body, 'creating the contact folder', where);
    }
    throw new CrmsyncError(
      'CRMSYNC_ERR_OUTLOOK_HTTP',
      `the contact folder "${name}" can neither be found nor created`,
      where,
    );
  }
}

function headersOf(headers: Headers): Record<string, string> {
  return Object.fromEntries(headers.entries());
}
