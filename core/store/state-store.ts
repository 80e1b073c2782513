import type { ContactJson } from '../domain/contact-json.js';
import type {
  PlanHeader,
  PlanItem,
  PlanItemPatch,
  PlanPage,
  PlanPageQuery,
  PlanStatus,
} from '../pipeline/plan.js';

/**
 * Everything crmsync remembers between runs, behind one asynchronous, transactional port so
 * that the embedded SQLite store and a PostgreSQL store are interchangeable: no method is
 * synchronous, no caller sees SQL. Timestamps are epoch milliseconds.
 */
export interface StateStore extends StateScope {
  /**
   * Runs `work` in one transaction: everything it wrote through `scope` is kept when it
   * resolves and nothing when it throws. Transactions do not nest.
   */
  transaction<T>(work: (scope: StateScope) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
export const StateStore = Symbol.for('crmsync.StateStore');

/** The repositories; inside `transaction` they act within it. */
export interface StateScope {
  readonly links: LinkRepository;
  readonly plans: PlanRepository;
  readonly cursors: CursorRepository;
  readonly journal: JournalRepository;
  readonly leases: LeaseRepository;
  readonly blobs: BlobRepository;
  readonly candidates: CandidateIndex;
}

/**
 * A groupware account: the groupware connector and the place it syncs with (a mailbox, a
 * folder), e.g. `vcard-file:/srv/vcards` or `outlook-graph:anna@firma.de`. Links, cursors and
 * leases are kept per account, so two mailboxes never share a link.
 */
export type AccountId = string;

/** One linked pair: the CRM contact and its copy in one groupware account (E5, I10, S1). */
export interface Link {
  accountId: AccountId;
  crmId: string;
  groupwareId: string;
  crmVersion?: string;
  groupwareVersion?: string;
  /**
   * The contact as both sides agreed on it after the last sync: the merge baseline. A field
   * that differs from it on one side changed there. Stored without photo bytes.
   */
  baseline: ContactJson;
  /** Hash of the photo both sides had at the last sync (absent: no photo). */
  photoHash?: string;
  syncedAt: number;
}

export interface LinkRepository {
  get(accountId: AccountId, by: { crmId: string } | { groupwareId: string }): Promise<Link | undefined>;
  /**
   * Inserts or replaces the link of `link.crmId` in its account. A groupware id already
   * linked to another CRM contact of the account is refused (`CRMSYNC_ERR_LINK_CONFLICT`).
   */
  put(link: Link): Promise<void>;
  remove(accountId: AccountId, crmId: string): Promise<void>;
  /** Every link of the account, in CRM-id order, streamed so 100,000 links never sit in memory. */
  list(accountId: AccountId): AsyncIterable<Link>;
  count(accountId: AccountId): Promise<number>;
}

export interface PlanRepository {
  create(header: Omit<PlanHeader, 'createdAt' | 'updatedAt'>): Promise<PlanHeader>;
  get(planId: string): Promise<PlanHeader | undefined>;
  /** Changes the status and, when given, merges `summary` and `options` into the header. */
  update(
    planId: string,
    change: { status?: PlanStatus; summary?: Record<string, unknown>; options?: Record<string, unknown> },
  ): Promise<PlanHeader>;
  /** Adds items in order; an item's `seq` is given by the caller and unique within its plan. */
  addItems(planId: string, items: readonly PlanItem[]): Promise<void>;
  getItem(planId: string, seq: number): Promise<PlanItem | undefined>;
  /** Merges `patch` into each named item (`seq` absent from the plan → not-found error). */
  updateItems(planId: string, seqs: readonly number[], patch: PlanItemPatch): Promise<void>;
  /** One page in `seq` order, with the number of items the filter matches. */
  page(planId: string, query: PlanPageQuery): Promise<PlanPage>;
  /** Every item matching the filter in `seq` order, streamed (commit reads plans this way). */
  items(planId: string, filter?: PlanPageQuery['filter']): AsyncIterable<PlanItem>;
  /**
   * Counts by list, action, reason, verdict and state, for a wizard's headline, keyed like
   * the filter that selects the same items: `total`, `selected:true`, `selected:false`,
   * `action:<action>`, `reason:<reason>`, `verdict:<verdict>`, `outcome:<state>` and
   * `outcome:none`. A key with no items is absent.
   */
  counts(planId: string): Promise<Record<string, number>>;
  /** Plans of a kind and account, newest first. */
  list(query: { kind?: PlanHeader['kind']; accountId?: AccountId; limit?: number }): Promise<PlanHeader[]>;
  remove(planId: string): Promise<void>;
}

export type Side = 'crm' | 'groupware';

/** Where each side's change feed was read up to, per account (`ContactChange` checkpoints). */
export interface CursorRepository {
  get(accountId: AccountId, side: Side): Promise<string | undefined>;
  put(accountId: AccountId, side: Side, cursor: string): Promise<void>;
  remove(accountId: AccountId, side: Side): Promise<void>;
}

/**
 * The commit journal: an intent is written before each external write and its outcome after,
 * with the record's before-image, so a resumed commit knows what happened and a committed
 * run can be undone.
 */
export interface JournalEntry {
  planId: string;
  /** The operation's idempotency key, unique in the journal. */
  key: string;
  /** Plan item the write belongs to. */
  seq: number;
  side: Side;
  operation: 'create' | 'update' | 'delete' | 'photo' | 'link' | 'unlink';
  /** Id on the written side (absent for a create until its outcome names it). */
  targetId?: string;
  /** The record as it was before the write (absent for a create), without photo bytes. */
  before?: ContactJson;
  /** The photo hash before the write, when it was a photo write. */
  beforePhotoHash?: string;
  /** What was to be written, without photo bytes; enough to repeat the write on resume. */
  intent: Record<string, unknown>;
  state: 'intent' | 'done' | 'failed' | 'undone';
  /** The outcome (new id, version, problem) once known. */
  outcome?: Record<string, unknown>;
  at: number;
}

export interface JournalRepository {
  /** Records an intent; a key already present is an error (a write must be intended once). */
  intend(entry: Omit<JournalEntry, 'state' | 'outcome' | 'at'>): Promise<void>;
  settle(key: string, state: 'done' | 'failed' | 'undone', outcome?: Record<string, unknown>): Promise<void>;
  get(key: string): Promise<JournalEntry | undefined>;
  /** A plan's entries in the order they were intended. */
  entries(planId: string, filter?: { state?: JournalEntry['state'] }): AsyncIterable<JournalEntry>;
}

/**
 * One run per account at a time, across processes sharing the store: a lease is held until
 * released or until it expires, so a crashed holder never blocks an account for ever.
 */
export interface LeaseRepository {
  /** True when `holder` now holds the lease (it was free, expired, or already theirs). */
  acquire(accountId: AccountId, holder: string, ttlMs: number): Promise<boolean>;
  /** Extends a lease `holder` holds; false when it has lost it. */
  renew(accountId: AccountId, holder: string, ttlMs: number): Promise<boolean>;
  release(accountId: AccountId, holder: string): Promise<void>;
  holder(accountId: AccountId): Promise<{ holder: string; expiresAt: number } | undefined>;
}

/** Content-addressed bytes (photos of planned contacts), so plan items stay small. */
export interface BlobRepository {
  /** Stores the bytes under their hex SHA-256 and answers it; storing twice is harmless. */
  put(mediaType: string, bytes: Uint8Array): Promise<string>;
  get(hash: string): Promise<{ mediaType: string; bytes: Uint8Array } | undefined>;
  /**
   * Deletes blobs no plan item, link or journal entry refers to any more, and answers how
   * many. A blob stored (or stored again) within the last `graceMs` (an hour when absent) is
   * kept even so: a plan being built stores a photo first and names it in its item after.
   */
  collectGarbage(options?: { graceMs?: number }): Promise<number>;
}

/**
 * The CRM's contacts by the dedupe rules' blocking keys: candidates for an incoming contact
 * are the CRM contacts sharing a key with it, never all contacts. Kept current through the
 * CRM's change feed; it survives a restart, so only changes since its cursor are read again.
 */
export interface IndexedContact {
  crmId: string;
  /** What the rules compare, without photo bytes. */
  contact: ContactJson;
  keys: readonly string[];
}

export interface CandidateIndex {
  /** Replaces the entries of each contact (its keys may have changed). */
  upsert(contacts: readonly IndexedContact[]): Promise<void>;
  remove(crmIds: readonly string[]): Promise<void>;
  /**
   * For each incoming key set, the indexed contacts sharing at least one key, each once, with
   * the keys they share. Answered in bulk because 10,000 incoming contacts ask at once.
   */
  candidates(
    keySets: readonly (readonly string[])[],
  ): Promise<{ crmId: string; contact: ContactJson; sharedKeys: string[] }[][]>;
  /** Number of contacts indexed. */
  size(): Promise<number>;
  /** Empties the index, for a rebuild when the rule set changed. */
  clear(): Promise<void>;
  /**
   * Replaces everything indexed with `contacts` (each contact once), for the first build or
   * a rebuild after the rule set changed: much faster than `upsert` for a million contacts,
   * because the key indexes are built once at the end instead of grown row by row. The state
   * is emptied first and set to `state` only when everything is in, so an interrupted rebuild
   * shows as an index without a rules fingerprint and is simply run again. Answers the number
   * of contacts indexed.
   */
  rebuild(
    contacts: AsyncIterable<IndexedContact> | Iterable<IndexedContact>,
    state: { cursor?: string; rulesFingerprint?: string },
  ): Promise<number>;
  /** The CRM change-feed cursor the index is current to, and the rule set it was built with. */
  getState(): Promise<{ cursor?: string; rulesFingerprint?: string }>;
  setState(state: { cursor?: string; rulesFingerprint?: string }): Promise<void>;
}
