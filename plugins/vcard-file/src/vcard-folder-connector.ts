import { createReadStream, type Dirent } from 'node:fs';
import { access, constants, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  applyByKind,
  ConcurrencyError,
  type Contact,
  type ContactChange,
  type CreateOperation,
  CrmsyncError,
  type DeleteOperation,
  everyGroupwareField,
  type Fetched,
  type FieldSupport,
  failedOutcome,
  type GroupwareCapabilities,
  type GroupwareConnector,
  type HealthReport,
  type Logger,
  type OperationSource,
  type PhotoOperation,
  type RecordProblem,
  silentLogger,
  type UpdateOperation,
  type WriteOperation,
  type WriteOutcome,
} from '../../../core/index.js';
import { createFile, replaceFile } from './folder/atomic-file.js';
import {
  cardsOfFile,
  contentHash,
  type StoredCard,
  type StreamedCard,
  streamCardsOfFile,
} from './folder/card-file.js';
import { fileNameForUid, isPositionalId, isVcardFileName, parseCardId } from './folder/card-id.js';
import { topLevelCardRanges } from './folder/card-ranges.js';
import { CrmIdIndex } from './folder/crm-id-index.js';
import { DeletionLog } from './folder/deletion-log.js';
import { FolderGuard } from './folder/folder-guard.js';
import { type Snapshot, SnapshotStore } from './folder/snapshots.js';
import { defaultMaxCardBytes } from './plugin-options.js';
import type { ReadOptions } from './read/index.js';
import { stableUid, type VcardVersion, withoutControlCharacters, writeVCard } from './write/index.js';

export interface VcardFolderOptions {
  /** The folder of `.vcf` files; created when first configured, an error when missing later. */
  folder: string;
  /**
   * Where change-detection snapshots and the record of the configured folder are kept: the
   * plugin's data folder, outside the vCard folder, so they survive when the folder goes away.
   */
  stateDir: string;
  /** vCard version of written cards; 3.0 unless given. */
  version?: VcardVersion;
  maxCardBytes?: number;
  maxPhotoBytes?: number;
  logger?: Logger;
  /** How a file's bytes are streamed; `fs.createReadStream` unless given. */
  openFile?: (path: string) => AsyncIterable<Uint8Array>;
  /** Every folder of the connector this one belongs to, itself among them; itself alone unless given. */
  accounts?: () => readonly GroupwareConnector[];
}

/** A card of the folder as read for a write: its file's bytes and where the card lies in them. */
interface WritableCard {
  file: string;
  bytes: Buffer;
  card: StoredCard;
}

/**
 * A folder of `.vcf` files as a groupware store (A2): one file per contact, named after its
 * UID; files with several cards are streamed card by card, a card known by its UID
 * (`file#uid-…`) or, without one, by its position (`file#n`). A contact's version is the
 * SHA-256 of its bytes, so a change made by hand is noticed, and a write against a stale
 * version is refused. Every write replaces its file atomically.
 */
export class VcardFolderConnector implements GroupwareConnector {
  readonly capabilities: GroupwareCapabilities = {
    delta: true,
    photos: true,
    batch: false,
    stableExternalId: true,
  };
  readonly fieldSupport: FieldSupport = everyGroupwareField;
  readonly accountKey: string;
  private readonly folder: string;
  private readonly version: VcardVersion;
  private readonly readOptions: ReadOptions;
  private readonly snapshots: SnapshotStore;
  private readonly guard: FolderGuard;
  private readonly deletions: DeletionLog;
  private readonly logger: Logger;
  private readonly openFile: (path: string) => AsyncIterable<Uint8Array>;
  private readonly crmIndex: CrmIdIndex;
  private readonly siblings: (() => readonly GroupwareConnector[]) | undefined;
  // Writes of this connector run one at a time, so a version check and its write are not interleaved.
  private writes: Promise<unknown> = Promise.resolve();

  constructor(options: VcardFolderOptions) {
    this.folder = options.folder;
    this.accountKey = resolve(options.folder);
    this.version = options.version ?? '3.0';
    this.readOptions = { maxCardBytes: options.maxCardBytes ?? defaultMaxCardBytes };
    if (options.maxPhotoBytes !== undefined) this.readOptions.maxPhotoBytes = options.maxPhotoBytes;
    this.snapshots = new SnapshotStore(options.stateDir, options.folder);
    this.guard = new FolderGuard(options.folder, options.stateDir);
    this.deletions = new DeletionLog(options.stateDir);
    this.logger = options.logger ?? silentLogger;
    this.openFile = options.openFile ?? ((path) => createReadStream(path));
    this.crmIndex = new CrmIdIndex(this.folder, (name) => this.streamCards(name));
    this.siblings = options.accounts;
  }

  accounts(): readonly GroupwareConnector[] {
    return this.siblings?.() ?? [this];
  }

  async health(): Promise<HealthReport> {
    try {
      await this.guard.ready();
      await access(this.folder, constants.R_OK | constants.W_OK);
      const files = await this.fileNames();
      return { ok: true, detail: `vCard folder ${this.folder} (${files.length} .vcf files)` };
    } catch (error) {
      const detail =
        error instanceof CrmsyncError ? `${error.code}: ${error.message}` : (error as Error).message;
      return { ok: false, detail: `vCard folder ${this.folder} is not usable: ${detail}` };
    }
  }

  async *listContacts(): AsyncIterable<Fetched<Contact>> {
    for (const name of await this.fileNames()) {
      try {
        for await (const card of this.streamCards(name)) yield card.fetched;
      } catch (error) {
        yield { ok: false, problem: unreadableFile(name, error) };
      }
    }
  }

  async getContact(id: string): Promise<Contact | undefined> {
    const { file } = parseCardId(id);
    await this.guard.ready();
    let card: StreamedCard | undefined;
    try {
      for await (const candidate of this.streamCards(file)) {
        if (candidate.id === id) {
          card = candidate;
          break;
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        await this.guard.ready();
        return undefined;
      }
      throw error;
    }
    if (!card) return undefined;
    if (!card.fetched.ok) {
      const { code, message, location } = card.fetched.problem;
      throw new CrmsyncError(code, message, location);
    }
    return card.fetched.value;
  }

  async findByCrmId(crmId: string): Promise<Contact | undefined> {
    const ids = await this.crmIndex.lookup(crmId, await this.fileNames());
    return this.firstWithCrmId(crmId, ids);
  }

  /** A create is known by the CRM id it stamps (E5): the card that carries it, if any. */
  findCreated(operation: CreateOperation): Promise<Contact | undefined> {
    const crmId = operation.contact.ids.crmId;
    return crmId ? this.findByCrmId(crmId) : Promise.resolve(undefined);
  }

  /**
   * One outcome per operation, in order; a failed operation never stops the others. A create
   * whose CRM id is already in the folder answers with that contact (`replayed`), so a commit
   * resumed after a crash writes no second card.
   */
  async *apply(operations: OperationSource): AsyncIterable<WriteOutcome> {
    for await (const operation of operations) {
      yield await this.exclusive(() => this.applyOne(operation));
    }
  }

  private async applyOne(operation: WriteOperation): Promise<WriteOutcome> {
    try {
      await this.guard.ready();
      return await applyByKind(operation, {
        create: (create) => this.create(create),
        update: (update) => this.update(update),
        delete: (remove) => this.remove(remove),
        photo: (photo) => this.replacePhoto(photo),
      });
    } catch (error) {
      if (!(error instanceof CrmsyncError))
        this.logger.warn({ err: error, key: operation.key }, 'vCard write failed');
      // A folder that comes back, or a disk with room again, takes the same write later.
      return failedOutcome(
        operation,
        error,
        { endpoint: 'vcard-file' },
        (code) => !(error instanceof CrmsyncError) || code === 'CRMSYNC_ERR_FOLDER_MISSING',
      );
    }
  }

  private async create(operation: CreateOperation): Promise<WriteOutcome> {
    const contact = this.cleaned(operation.contact);
    const crmId = contact.ids.crmId;
    if (crmId) {
      const ids = await this.crmIndex.lookupIfListingChanged(crmId, () => this.fileNames());
      const existing = await this.firstWithCrmId(crmId, ids);
      if (existing) return written(operation, existing, true);
    }
    const uid = stableUid(contact);
    const ids = { ...contact.ids, uid };
    delete ids.groupwareId;
    delete ids.groupwareVersion;
    const bytes = Buffer.from(writeVCard({ ...contact, ids }, { version: this.version }), 'utf8');
    const name = await this.createUnderFreeName(fileNameForUid(uid), bytes);
    await this.crmIndex.refreshOwn(name);
    this.logger.debug({ file: name }, 'vCard created');
    // A file of one card is versioned by its whole content, which was just written.
    return written(operation, {
      ...contact,
      ids: { ...ids, groupwareId: name, groupwareVersion: contentHash(bytes) },
    });
  }

  private async update(operation: UpdateOperation): Promise<WriteOutcome> {
    const found = await this.writableCard(operation.id, versionOf(operation));
    const existing = found.card.fetched.ok ? found.card.fetched.value : undefined;
    return written(operation, await this.rewrite(found, this.cleaned(operation.contact), existing));
  }

  private async replacePhoto(operation: PhotoOperation): Promise<WriteOutcome> {
    const found = await this.writableCard(operation.id, versionOf(operation));
    if (!found.card.fetched.ok) {
      const { code, message, location } = found.card.fetched.problem;
      throw new CrmsyncError(
        code,
        `the photo cannot be changed on a card that cannot be read: ${message}`,
        location,
      );
    }
    const existing = found.card.fetched.value;
    const contact: Contact = { ...existing };
    if (operation.photo) contact.photo = operation.photo;
    else delete contact.photo;
    return written(operation, await this.rewrite(found, contact, existing));
  }

  private async remove(operation: DeleteOperation): Promise<WriteOutcome> {
    const found = await this.writableCard(operation.id, versionOf(operation), { missingIsFine: true });
    // Gone already (deleted by hand, or by this operation before a crash): what was asked holds.
    if (!found) return { ok: true, key: operation.key, kind: operation.kind, id: operation.id };
    const { file, bytes, card } = found;
    const path = join(this.folder, file);
    const rest = card.range
      ? Buffer.concat([bytes.subarray(0, card.range.start), bytes.subarray(card.range.end)])
      : undefined;
    if (!rest || (topLevelCardRanges(rest).length === 0 && rest.toString('latin1').trim() === ''))
      await rm(path, { force: true });
    else await replaceFile(path, rest);
    await this.deletions.record(card.id);
    await this.crmIndex.refreshOwn(file);
    return { ok: true, key: operation.key, kind: operation.kind, id: operation.id };
  }

  /** Writes `contact` over the card found, leaving every other byte of its file as it was. */
  private async rewrite(
    found: WritableCard,
    contact: Contact,
    existing: Contact | undefined,
  ): Promise<Contact> {
    const { file, bytes, card } = found;
    // A card known by its UID keeps it, so that its id does not change with the update.
    const uid = parseCardId(card.id).uid ?? contact.ids.uid ?? existing?.ids.uid ?? stableUid(contact);
    const ids = { ...contact.ids, uid };
    const toWrite = { ...contact, ids, ...keptExtensions(contact, existing) };
    const cardBytes = Buffer.from(writeVCard(toWrite, { version: this.version }), 'utf8');
    const updated = card.range
      ? Buffer.concat([bytes.subarray(0, card.range.start), cardBytes, bytes.subarray(card.range.end)])
      : cardBytes;
    await replaceFile(join(this.folder, file), updated);
    await this.crmIndex.refreshOwn(file);
    // A card that had no UID gets one now, and with it an id that no longer moves.
    const after = cardsOfFile(file, updated, this.readOptions).find((c) => c.position === card.position);
    return {
      ...toWrite,
      ids: { ...ids, groupwareId: after?.id ?? card.id, groupwareVersion: after?.version },
    };
  }

  /** The contact without control characters; what was dropped is logged, the write goes on. */
  private cleaned(contact: Contact): Contact {
    const { contact: clean, fields } = withoutControlCharacters(contact);
    if (fields.length > 0)
      this.logger.warn({ recordId: contact.ids.crmId, fields }, 'control characters left out of the vCard');
    return clean;
  }

  private async firstWithCrmId(crmId: string, ids: readonly string[]): Promise<Contact | undefined> {
    for (const id of ids) {
      const contact = await this.getContact(id).catch(() => undefined);
      if (contact?.ids.crmId === crmId) return contact;
    }
    return undefined;
  }

  /**
   * Contacts added or changed since `cursor` (all of them without one), contacts deleted
   * since then, and a checkpoint with the cursor for the next run. A change is a different
   * content hash, so edits by hand or by another program are noticed. A folder that is gone
   * fails the run before any deletion is reported.
   */
  async *changesSince(cursor?: string): AsyncIterable<Fetched<ContactChange>> {
    await this.guard.ready();
    const since = cursor ? await this.snapshots.load(cursor) : undefined;
    const previous = since ? byFile(since.snapshot) : new Map<string, Snapshot>();
    const deletionsSeen = await this.deletions.last();
    const current: Snapshot = new Map();
    const names = await this.fileNames();
    const stampsBefore = since?.files ?? new Map<string, string>();
    const stamps = await fileStamps(this.folder, names);
    const files = new Map<string, string>();
    const deleted: string[] = [];
    for (const name of names) {
      const before = previous.get(name) ?? new Map<string, string>();
      previous.delete(name);
      const stamp = stamps.get(name);
      if (stamp !== undefined && before.size > 0 && stampsBefore.get(name) === stamp) {
        // Not touched since it was last read: its cards are as they were, unread.
        for (const [id, version] of before) current.set(id, version);
        files.set(name, stamp);
        continue;
      }
      // Versions of cards known by position: such a card found elsewhere in the file moved, it
      // did not change, and its old place is not a deletion.
      const movable = new Set<string>();
      for (const [id, version] of before) if (isPositionalId(id)) movable.add(version);
      const seenVersions = new Set<string>();
      const upserted = new Set<string>();
      try {
        for await (const card of this.streamCards(name)) {
          current.set(card.id, card.version);
          seenVersions.add(card.version);
          if (before.get(card.id) === card.version) continue;
          if (isPositionalId(card.id) && movable.has(card.version)) continue;
          upserted.add(card.id);
          yield card.fetched.ok
            ? { ok: true, value: { type: 'upserted', contact: card.fetched.value } }
            : card.fetched;
        }
      } catch (error) {
        // An unreadable file is not a deleted one: its cards stay as they were last seen.
        for (const [id, version] of before) if (!current.has(id)) current.set(id, version);
        yield { ok: false, problem: unreadableFile(name, error) };
        continue;
      }
      // The stamp taken before the read: a file changed while it was read is read again next time.
      if (stamp !== undefined) files.set(name, stamp);
      for (const [id, version] of before) {
        const gone = isPositionalId(id) ? !seenVersions.has(version) && !upserted.has(id) : !current.has(id);
        if (gone) deleted.push(id);
      }
    }
    for (const before of previous.values()) deleted.push(...before.keys());
    if (since) {
      const told = new Set(deleted);
      for (const id of await this.deletions.since(since.deletionsSeen))
        if (!current.has(id) && !told.has(id)) {
          told.add(id);
          deleted.push(id);
        }
    }
    // Deletions and the checkpoint come last, once the folder is known to be still there: a
    // folder that went away during the run fails it instead of reporting its cards as deleted.
    await this.guard.ready();
    for (const id of deleted) yield { ok: true, value: { type: 'deleted', id } };
    const checkpoint = await this.snapshots.save({ snapshot: current, deletionsSeen, files });
    yield { ok: true, value: { type: 'checkpoint', cursor: checkpoint } };
  }

  private async fileNames(): Promise<string[]> {
    await this.guard.ready();
    let entries: Dirent[];
    try {
      entries = await readdir(this.folder, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw this.guard.missing();
      throw error;
    }
    return entries
      .filter((entry) => entry.isFile() && isVcardFileName(entry.name))
      .map((entry) => entry.name)
      .sort();
  }

  /** The cards of one file, streamed: only the card being read is held in memory. */
  private streamCards(name: string): AsyncIterable<StreamedCard> {
    return streamCardsOfFile(name, this.openFile(join(this.folder, name)), this.readOptions);
  }

  private async readIfExists(file: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.folder, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private async writableCard(id: string, expectedVersion: string): Promise<WritableCard>;
  private async writableCard(
    id: string,
    expectedVersion: string,
    options: { missingIsFine: true },
  ): Promise<WritableCard | undefined>;
  private async writableCard(id: string, expectedVersion: string, options?: { missingIsFine: true }) {
    const { file } = parseCardId(id);
    const bytes = await this.readIfExists(file);
    const card = bytes ? cardsOfFile(file, bytes, this.readOptions).find((c) => c.id === id) : undefined;
    if (!bytes || !card) {
      if (options?.missingIsFine) return undefined;
      throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', 'the contact is no longer in the vCard folder', {
        file,
        recordId: id,
      });
    }
    if (card.version !== expectedVersion) {
      throw new ConcurrencyError('the vCard was changed since it was read', { file, recordId: id });
    }
    if (!card.writable) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_VCARD_NOT_WRITABLE',
        'this card is nested in another card, so it cannot be changed without changing that one',
        { file, recordId: id },
      );
    }
    return { file, bytes, card };
  }

  private async createUnderFreeName(preferred: string, bytes: Uint8Array): Promise<string> {
    const stem = preferred.slice(0, -'.vcf'.length);
    for (let n = 1; ; n++) {
      const name = n === 1 ? preferred : `${stem}-${n}.vcf`;
      if (await createFile(join(this.folder, name), bytes)) return name;
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(work, work);
    this.writes = run.catch(() => undefined);
    return run;
  }
}

/** The version an operation on an existing contact is based on; a write without one is refused. */
function versionOf(operation: UpdateOperation | DeleteOperation | PhotoOperation): string {
  const version = (operation as { expectedVersion?: unknown }).expectedVersion;
  if (typeof version !== 'string' || version === '') {
    throw new CrmsyncError(
      'CRMSYNC_ERR_NO_VERSION',
      `a ${operation.kind} must say which version of the contact it is based on`,
      { endpoint: 'vcard-file', recordId: operation.id },
    );
  }
  return version;
}

function written(operation: WriteOperation, contact: Contact, replayed?: boolean): WriteOutcome {
  const outcome: WriteOutcome = {
    ok: true,
    key: operation.key,
    kind: operation.kind,
    id: contact.ids.groupwareId as string,
    contact,
  };
  if (contact.ids.groupwareVersion !== undefined) outcome.version = contact.ids.groupwareVersion;
  if (replayed) outcome.replayed = true;
  return outcome;
}

/** Each file's size, time and inode, read a batch at a time; a file gone meanwhile has none. */
async function fileStamps(folder: string, names: readonly string[]): Promise<Map<string, string>> {
  const stamps = new Map<string, string>();
  const batch = 256;
  for (let start = 0; start < names.length; start += batch) {
    await Promise.all(
      names.slice(start, start + batch).map(async (name) => {
        const info = await stat(join(folder, name), { bigint: true }).catch(() => undefined);
        if (info) stamps.set(name, `${info.size}:${info.mtimeNs}:${info.ino}`);
      }),
    );
  }
  return stamps;
}

/** Snapshot entries grouped by the file their card lies in. */
function byFile(snapshot: Snapshot): Map<string, Snapshot> {
  const files = new Map<string, Snapshot>();
  for (const [id, version] of snapshot) {
    let file: string;
    try {
      file = parseCardId(id).file;
    } catch {
      continue;
    }
    const entries = files.get(file) ?? new Map<string, string>();
    entries.set(id, version);
    files.set(file, entries);
  }
  return files;
}

function unreadableFile(name: string, error: unknown): RecordProblem {
  return {
    code: 'CRMSYNC_ERR_VCARD_FILE',
    message: `the vCard file cannot be read: ${(error as Error).message}`,
    location: { file: name },
  };
}

/**
 * A contact built from CRM data carries no vCard extensions; the properties crmsync does not
 * map (X-…, IMPP, labels) then stay as the card had them instead of being dropped.
 */
function keptExtensions(contact: Contact, existing: Contact | undefined): Pick<Contact, 'extensions'> {
  if (contact.extensions?.vcard !== undefined) return {};
  const unknown = (existing?.extensions?.vcard as { unknown?: unknown } | undefined)?.unknown;
  if (!Array.isArray(unknown) || unknown.length === 0) return {};
  return { extensions: { ...contact.extensions, vcard: { unknown } } };
}
