import { constants, createReadStream } from 'node:fs';
import { access, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ConcurrencyError,
  type Contact,
  type ContactChange,
  CrmsyncError,
  type Fetched,
  type GroupwareCapabilities,
  type GroupwareConnector,
  type HealthReport,
  type Logger,
  type RecordProblem,
  silentLogger,
} from '../../../core/index.js';
import { createFile, replaceFile } from './folder/atomic-file.js';
import { cardsOfFile, type StoredCard, type StreamedCard, streamCardsOfFile } from './folder/card-file.js';
import { fileNameForUid, isPositionalId, isVcardFileName, parseCardId } from './folder/card-id.js';
import { topLevelCardRanges } from './folder/card-ranges.js';
import { type Snapshot, SnapshotStore } from './folder/snapshots.js';
import { defaultMaxCardBytes } from './plugin-options.js';
import type { ReadOptions } from './read/index.js';
import { stableUid, type VcardVersion, writeVCard } from './write/index.js';

export interface VcardFolderOptions {
  /** The folder of `.vcf` files (created when missing). */
  folder: string;
  /** Where change-detection snapshots are kept; `<folder>/.crmsync` unless given. */
  stateDir?: string;
  /** vCard version of written cards; 3.0 unless given. */
  version?: VcardVersion;
  maxCardBytes?: number;
  maxPhotoBytes?: number;
  logger?: Logger;
  /** How a file's bytes are streamed; `fs.createReadStream` unless given. */
  openFile?: (path: string) => AsyncIterable<Uint8Array>;
}

interface IndexedFile {
  stamp: string;
  crmIds: [crmId: string, id: string][];
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
  private readonly folder: string;
  private readonly version: VcardVersion;
  private readonly readOptions: ReadOptions;
  private readonly snapshots: SnapshotStore;
  private readonly logger: Logger;
  private readonly openFile: (path: string) => AsyncIterable<Uint8Array>;
  private readonly crmIndex = new Map<string, IndexedFile>();
  // Writes of this connector run one at a time, so a version check and its write are not interleaved.
  private writes: Promise<unknown> = Promise.resolve();

  constructor(options: VcardFolderOptions) {
    this.folder = options.folder;
    this.version = options.version ?? '3.0';
    this.readOptions = { maxCardBytes: options.maxCardBytes ?? defaultMaxCardBytes };
    if (options.maxPhotoBytes !== undefined) this.readOptions.maxPhotoBytes = options.maxPhotoBytes;
    this.snapshots = new SnapshotStore(options.stateDir ?? join(options.folder, '.crmsync'));
    this.logger = options.logger ?? silentLogger;
    this.openFile = options.openFile ?? ((path) => createReadStream(path));
  }

  async health(): Promise<HealthReport> {
    try {
      await mkdir(this.folder, { recursive: true });
      await access(this.folder, constants.R_OK | constants.W_OK);
      const files = await this.fileNames();
      return { ok: true, detail: `vCard folder ${this.folder} (${files.length} .vcf files)` };
    } catch (error) {
      return { ok: false, detail: `vCard folder ${this.folder} is not usable: ${(error as Error).message}` };
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
    let card: StreamedCard | undefined;
    try {
      for await (const candidate of this.streamCards(file)) {
        if (candidate.id === id) {
          card = candidate;
          break;
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
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
    for (const id of await this.idsForCrmId(crmId)) {
      const contact = await this.getContact(id).catch(() => undefined);
      if (contact?.ids.crmId === crmId) return contact;
    }
    return undefined;
  }

  createContact(contact: Contact): Promise<Contact> {
    return this.exclusive(async () => {
      await mkdir(this.folder, { recursive: true });
      const uid = stableUid(contact);
      const ids = { ...contact.ids, uid };
      delete ids.groupwareId;
      delete ids.groupwareVersion;
      const bytes = Buffer.from(writeVCard({ ...contact, ids }, { version: this.version }), 'utf8');
      const name = await this.createUnderFreeName(fileNameForUid(uid), bytes);
      this.logger.debug({ file: name }, 'vCard created');
      const [card] = cardsOfFile(name, bytes, this.readOptions);
      return { ...contact, ids: { ...ids, groupwareId: name, groupwareVersion: card?.version } };
    });
  }

  updateContact(contact: Contact): Promise<Contact> {
    return this.exclusive(async () => {
      const id = contact.ids.groupwareId;
      if (!id) {
        throw new CrmsyncError(
          'CRMSYNC_ERR_VCARD_ID',
          'a contact without a vCard folder id cannot be updated',
          {
            endpoint: 'vcard-file',
            recordId: contact.ids.crmId,
          },
        );
      }
      const { file, bytes, card } = await this.writableCard(id, contact.ids.groupwareVersion);
      const existing = card.fetched.ok ? card.fetched.value : undefined;
      // A card known by its UID keeps it, so that its id does not change with the update.
      const uid = parseCardId(id).uid ?? contact.ids.uid ?? existing?.ids.uid ?? stableUid(contact);
      const ids = { ...contact.ids, uid };
      const written = { ...contact, ids, ...keptExtensions(contact, existing) };
      const cardBytes = Buffer.from(writeVCard(written, { version: this.version }), 'utf8');
      const updated = card.range
        ? Buffer.concat([bytes.subarray(0, card.range.start), cardBytes, bytes.subarray(card.range.end)])
        : cardBytes;
      await replaceFile(join(this.folder, file), updated);
      // A card that had no UID gets one now, and with it an id that no longer moves.
      const after = cardsOfFile(file, updated, this.readOptions).find((c) => c.position === card.position);
      return { ...written, ids: { ...ids, groupwareId: after?.id ?? id, groupwareVersion: after?.version } };
    });
  }

  deleteContact(id: string, expectedVersion?: string): Promise<void> {
    return this.exclusive(async () => {
      const found = await this.writableCard(id, expectedVersion, { missingIsFine: true });
      if (!found) return;
      const { file, bytes, card } = found;
      const path = join(this.folder, file);
      if (!card.range) {
        await rm(path, { force: true });
        return;
      }
      const rest = Buffer.concat([bytes.subarray(0, card.range.start), bytes.subarray(card.range.end)]);
      if (topLevelCardRanges(rest).length === 0 && rest.toString('latin1').trim() === '')
        await rm(path, { force: true });
      else await replaceFile(path, rest);
    });
  }

  /**
   * Contacts added or changed since `cursor` (all of them without one), contacts deleted
   * since then, and a checkpoint with the cursor for the next run. A change is a different
   * content hash, so edits by hand or by another program are noticed.
   */
  async *changesSince(cursor?: string): AsyncIterable<Fetched<ContactChange<Contact>>> {
    const previous = cursor ? byFile(await this.snapshots.load(cursor)) : new Map<string, Snapshot>();
    const current: Snapshot = new Map();
    for (const name of await this.fileNames()) {
      const before = previous.get(name) ?? new Map<string, string>();
      previous.delete(name);
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
      for (const [id, version] of before) {
        const gone = isPositionalId(id) ? !seenVersions.has(version) && !upserted.has(id) : !current.has(id);
        if (gone) yield { ok: true, value: { type: 'deleted', id } };
      }
    }
    for (const before of previous.values()) {
      for (const id of before.keys()) yield { ok: true, value: { type: 'deleted', id } };
    }
    yield { ok: true, value: { type: 'checkpoint', cursor: await this.snapshots.save(current) } };
  }

  private async fileNames(): Promise<string[]> {
    try {
      const entries = await readdir(this.folder, { withFileTypes: true });
      return entries
        .filter((entry) => entry.isFile() && isVcardFileName(entry.name))
        .map((entry) => entry.name)
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
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

  private async writableCard(
    id: string,
    expectedVersion: string | undefined,
  ): Promise<{ file: string; bytes: Buffer; card: StoredCard }>;
  private async writableCard(
    id: string,
    expectedVersion: string | undefined,
    options: { missingIsFine: true },
  ): Promise<{ file: string; bytes: Buffer; card: StoredCard } | undefined>;
  private async writableCard(
    id: string,
    expectedVersion: string | undefined,
    options?: { missingIsFine: true },
  ) {
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
    if (expectedVersion !== undefined && card.version !== expectedVersion) {
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

  /** Card ids whose CRM id matches, from an index that re-reads only files that changed. */
  private async idsForCrmId(crmId: string): Promise<string[]> {
    const names = await this.fileNames();
    const present = new Set(names);
    for (const name of this.crmIndex.keys()) if (!present.has(name)) this.crmIndex.delete(name);
    const ids: string[] = [];
    for (const name of names) {
      let indexed = this.crmIndex.get(name);
      const info = await stat(join(this.folder, name), { bigint: true }).catch(() => undefined);
      if (!info) continue;
      const stamp = `${info.size}:${info.mtimeNs}:${info.ino}`;
      if (indexed?.stamp !== stamp) {
        const crmIds: [string, string][] = [];
        try {
          for await (const card of this.streamCards(name)) {
            if (card.fetched.ok && card.fetched.value.ids.crmId)
              crmIds.push([card.fetched.value.ids.crmId, card.id]);
          }
        } catch {
          // An unreadable file holds no contact that could be found.
        }
        indexed = { stamp, crmIds };
        this.crmIndex.set(name, indexed);
      }
      for (const [candidate, id] of indexed.crmIds) if (candidate === crmId) ids.push(id);
    }
    return ids;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(work, work);
    this.writes = run.catch(() => undefined);
    return run;
  }
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
