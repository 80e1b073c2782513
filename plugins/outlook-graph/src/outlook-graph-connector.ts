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
  silentLogger,
  type WriteOutcome,
} from '../../../core/index.js';
import { photoFromAnswer, readInBatches } from './batch-reader.js';
import { BatchWriter, type MailboxPaths } from './batch-writer.js';
import {
  fromGraphContact,
  outlookCapabilities,
  outlookFieldSupport,
  selectMapped,
} from './contact-mapping.js';
import { crmIdFilter, expandMapped, odataString } from './crm-id-property.js';
import { DeltaReader } from './delta-reader.js';
import { appTokenSource } from './graph/credential.js';
import { connectGraph, type GraphAnswer, type GraphConnection } from './graph/graph-client.js';
import { errorFromAnswer } from './graph-problems.js';
import { MailboxPacer, outlookBudget, type RequestBudget, realSleep, type Sleep } from './mailbox-pacer.js';

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
  /** A connection shared by the connectors of several mailboxes of one app. */
  connection?: GraphConnection;
  sleep?: Sleep;
  /** The app's request budget per mailbox; Outlook documents 10,000 per 10 minutes. */
  budget?: RequestBudget;
  retry?: {
    maxAttempts?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    clientRetryDelaySeconds?: number;
  };
  timeoutMs?: number;
}

const defaultBaseUrl = 'https://graph.microsoft.com/v1.0';

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
  private readonly pacer: MailboxPacer;
  private readonly sleep: Sleep;
  private readonly logger: Logger;
  private readonly where: { endpoint: string };
  private readonly user: string;
  private resolved: Promise<MailboxPaths & { delta: string }> | undefined;
  private writer: BatchWriter | undefined;
  private reader: DeltaReader | undefined;

  constructor(private readonly options: OutlookGraphOptions) {
    // Mailbox names do not depend on case; the same mailbox must not become a second account.
    this.accountKey = `${options.mailbox.trim().toLowerCase()}/${options.contactFolder || 'Contacts'}`;
    this.where = { endpoint: `outlook-graph ${this.accountKey}` };
    this.user = `/users/${encodeURIComponent(options.mailbox)}`;
    this.sleep = options.sleep ?? realSleep;
    this.logger = options.logger ?? silentLogger;
    this.pacer = new MailboxPacer(this.sleep, Date.now, options.budget ?? outlookBudget);
    this.ownsConnection = !options.connection;
    this.connection =
      options.connection ??
      connectGraph({
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
      });
  }

  async health(): Promise<HealthReport> {
    const started = Date.now();
    try {
      const paths = await this.paths();
      const answer = await this.get(`${paths.contacts}?$top=1&$select=id`);
      if (answer.status !== 200)
        throw errorFromAnswer(answer.status, answer.body, 'checking the mailbox', this.where);
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
    let link: string | undefined =
      `${paths.contacts}?$top=1000&$select=${selectMapped}&$expand=${expandMapped}`;
    while (link) {
      const answer = await this.get(link);
      if (answer.status !== 200)
        throw errorFromAnswer(answer.status, answer.body, 'listing Outlook contacts', this.where);
      const page = answer.body as { value?: Record<string, unknown>[]; '@odata.nextLink'?: string };
      const items = page.value ?? [];
      // Photos are not part of a contact's properties: each is read on its own, 20 to a batch.
      const photos = await readInBatches(
        items.map((item) => paths.photo(item.id as string)),
        { connection: this.connection, pacer: this.pacer, sleep: this.sleep, where: this.where },
      );
      for (const [index, item] of items.entries()) {
        const fetched = this.mapped(item);
        const photo = photoFromAnswer(photos[index]);
        if (fetched.ok && photo) fetched.value.photo = photo;
        yield fetched;
      }
      link = page['@odata.nextLink'];
    }
  }

  async getContact(id: string): Promise<Contact | undefined> {
    const paths = await this.paths();
    const [answer, photo] = await Promise.all([
      this.get(`${paths.item(id)}?$select=${selectMapped}&$expand=${expandMapped}`),
      this.get(paths.photo(id)),
    ]);
    if (answer.status === 404 || answer.status === 400) return undefined;
    if (answer.status !== 200)
      throw errorFromAnswer(answer.status, answer.body, 'reading an Outlook contact', {
        ...this.where,
        recordId: id,
      });
    const contact = fromGraphContact(answer.body as Record<string, unknown>);
    const image = photoFromAnswer({
      status: photo.status,
      body: photo.body,
      headers: { 'Content-Type': photo.headers.get('content-type') ?? '' },
    });
    if (image) contact.photo = image;
    return contact;
  }

  /** The photo Outlook holds for a contact, read on its own. */
  async readPhoto(id: string): Promise<Contact['photo']> {
    const paths = await this.paths();
    const photo = await this.get(paths.photo(id));
    return photoFromAnswer({
      status: photo.status,
      body: photo.body,
      headers: { 'Content-Type': photo.headers.get('content-type') ?? '' },
    });
  }

  async findByCrmId(crmId: string): Promise<Contact | undefined> {
    const paths = await this.paths();
    const answer = await this.get(
      `${paths.contacts}?$filter=${encodeURIComponent(crmIdFilter(crmId))}&$select=${selectMapped}&$expand=${expandMapped}`,
    );
    if (answer.status !== 200)
      throw errorFromAnswer(answer.status, answer.body, 'searching an Outlook contact by CRM id', this.where);
    const found = (answer.body as { value?: Record<string, unknown>[] }).value ?? [];
    if (found.length > 1)
      this.logger.warn(
        { crmId, ids: found.map((item) => item.id) },
        'several Outlook contacts carry the same CRM id',
      );
    if (!found[0]) return undefined;
    const contact = fromGraphContact(found[0]);
    const photo = await this.readPhoto(contact.ids.groupwareId!);
    if (photo) contact.photo = photo;
    return contact;
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
    if (!this.reader) {
      const paths = await this.paths();
      this.reader = new DeltaReader({
        connection: this.connection,
        pacer: this.pacer,
        sleep: this.sleep,
        where: this.where,
        baseUrl: this.options.graphBaseUrl ?? defaultBaseUrl,
        paths,
      });
    }
    yield* this.reader.changesSince(cursor);
  }

  close(): void {
    if (this.ownsConnection) this.connection.close();
  }

  private mapped(item: Record<string, unknown>): Fetched<Contact> {
    try {
      return { ok: true, value: fromGraphContact(item) };
    } catch (error) {
      const problem = {
        code: 'CRMSYNC_ERR_OUTLOOK_HTTP' as const,
        message: `an Outlook contact cannot be read: ${(error as Error).message}`,
        location: { ...this.where, recordId: String(item.id) },
      };
      return { ok: false, problem };
    }
  }

  private async writerFor(): Promise<BatchWriter> {
    if (!this.writer) {
      const paths = await this.paths();
      this.writer = new BatchWriter({
        connection: this.connection,
        pacer: this.pacer,
        paths,
        sleep: this.sleep,
        logger: this.logger,
        where: this.where,
        ...this.options.retry,
      });
    }
    return this.writer;
  }

  private get(url: string): Promise<GraphAnswer> {
    return this.pacer.run(async () => {
      try {
        return await this.connection.send({ method: 'GET', url });
      } catch (error) {
        throw new CrmsyncError(
          'CRMSYNC_ERR_OUTLOOK_UNREACHABLE',
          `Microsoft Graph did not answer: ${(error as Error).message}`,
          this.where,
          { cause: error },
        );
      }
    });
  }

  /** The folder's paths; a named folder is looked up once and created when missing. */
  private paths(): Promise<MailboxPaths & { delta: string }> {
    this.resolved ??= this.resolvePaths().catch((error) => {
      this.resolved = undefined;
      throw error;
    });
    return this.resolved;
  }

  private async resolvePaths(): Promise<MailboxPaths & { delta: string }> {
    const user = this.user;
    const item = (id: string) => `${user}/contacts/${encodeURIComponent(id)}`;
    const photo = (id: string) => `${item(id)}/photo/$value`;
    const name = this.options.contactFolder;
    if (!name) {
      // The default folder's documented delta needs its id, which an empty folder does not
      // reveal; Graph's `/contacts/delta` covers the default folder without one.
      const check = await this.get(`${user}/contacts?$top=1&$select=id`);
      if (check.status !== 200)
        throw errorFromAnswer(check.status, check.body, 'opening the mailbox', this.where);
      return { contacts: `${user}/contacts`, delta: `${user}/contacts/delta`, item, photo };
    }
    const folderId = await this.folderId(name);
    const folder = `${user}/contactFolders/${encodeURIComponent(folderId)}`;
    return { contacts: `${folder}/contacts`, delta: `${folder}/contacts/delta`, item, photo };
  }

  private async folderId(name: string): Promise<string> {
    const lookup = `${this.user}/contactFolders?$filter=${encodeURIComponent(`displayName eq ${odataString(name)}`)}&$select=id,displayName`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const found = await this.get(lookup);
      if (found.status !== 200)
        throw errorFromAnswer(found.status, found.body, 'looking up the contact folder', this.where);
      const folder = ((found.body as { value?: { id: string }[] }).value ?? [])[0];
      if (folder) return folder.id;
      const created = await this.pacer.run(() =>
        this.connection.send({
          method: 'POST',
          url: `${this.user}/contactFolders`,
          body: { displayName: name },
        }),
      );
      if (created.status === 201) {
        this.logger.info(
          { mailbox: this.options.mailbox, folder: name },
          'created the Outlook contact folder',
        );
        return (created.body as { id: string }).id;
      }
      // Someone else created it meanwhile: look it up again.
      if (created.status !== 409)
        throw errorFromAnswer(created.status, created.body, 'creating the contact folder', this.where);
    }
    throw new CrmsyncError(
      'CRMSYNC_ERR_OUTLOOK_HTTP',
      `the contact folder "${name}" can neither be found nor created`,
      this.where,
    );
  }
}
