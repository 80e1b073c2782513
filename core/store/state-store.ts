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
  /** Answers once the store has answered a trivial query; throws the store's error when it cannot. */
  check(): Promise<void>;
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
  readonly users: UserRepository;
  readonly tokens: TokenRepository;
  readonly sessions: SessionRepository;
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
  /** Plans of a kind, account and owner, newest first. */
  list(query: {
    kind?: PlanHeader['kind'];
    accountId?: AccountId;
    ownerId?: string;
    limit?: number;
  }): Promise<PlanHeader[]>;
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
  /**
   * Leases whose key begins with `prefix` and that ran out without being released: their
   * holders stopped renewing them (a process that died), oldest first.
   */
  lapsed(prefix: string): Promise<{ accountId: AccountId; holder: string; expiresAt: number }[]>;
  /**
   * Removes the lease of `holder` if it has still run out; false when it was renewed or taken
   * by another since. Of several processes clearing the same lapsed lease, exactly one succeeds.
   */
  clearLapsed(accountId: AccountId, holder: string): Promise<boolean>;
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
  /** What each rule that offers a profile derived of the contact, by rule id (JSON values). */
  profiles?: Readonly<Record<string, unknown>>;
}

/** An indexed contact sharing a key with an incoming one: its profiles, not the whole contact. */
export interface CandidateEntry {
  crmId: string;
  profiles: Readonly<Record<string, unknown>>;
  sharedKeys: string[];
}

/**
 * An incoming contact as the index screens its candidates: its keys, the rules that gave each
 * (rule n as bit n, in the order of the rules screened with), and each rule's profile of it
 * (undefined where a rule has none).
 */
export interface ScreenQuery {
  keys: readonly string[];
  keyRules: readonly number[];
  profiles: readonly unknown[];
}

/** A rule as the index screens with it. */
export interface RuleScreen {
  /** The id its profiles are kept under. */
  id: string;
  /** Whether a pair could be a duplicate, from the two profiles alone; none: every pair could. */
  mayMatch?: (candidate: unknown, existing: unknown) => boolean;
  /**
   * The URL of a module whose export `mayMatch` answers as `mayMatch` does, with nothing of the
   * rule object: the index may then screen on a thread of its own, beside the profiles it reads.
   */
  module?: string;
}

/** A candidate worth judging in full, with the rules (as bits) to judge it by. */
export interface ScreenedPair {
  crmId: string;
  rules: number;
}

export interface CandidateIndex {
  /** Replaces the entries of each contact (its keys may have changed). */
  upsert(contacts: readonly IndexedContact[]): Promise<void>;
  remove(crmIds: readonly string[]): Promise<void>;
  /**
   * For each incoming key set, the indexed contacts sharing at least one key, each once, with
   * the keys they share and their profiles (`{}` when indexed without). Answered in bulk
   * because 10,000 incoming contacts ask at once. The contacts themselves are read apart
   * (`contacts`), only for the pairs worth judging in full.
   */
  candidates(keySets: readonly (readonly string[])[]): Promise<CandidateEntry[][]>;
  /**
   * For each query, its candidates worth judging in full, in the order `candidates` gives
   * them: each with the rules that gave one of the keys it shares (a rule promises a key to
   * every pair it could accept, so the others need not look), less those whose `mayMatch`
   * rules the pair out. A candidate no rule is left for is left out.
   */
  screen(queries: readonly ScreenQuery[], rules: readonly RuleScreen[]): Promise<ScreenedPair[][]>;
  /** The indexed contacts of these CRM ids, as they were indexed; ids not indexed are left out. */
  contacts(crmIds: readonly string[]): Promise<Map<string, ContactJson>>;
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

export type UserRole = 'user' | 'admin';

/** Someone who signs in to the API. Logins are kept in lower case, so they are unique in any case. */
export interface User {
  id: string;
  login: string;
  role: UserRole;
  /** The scrypt hash with its salt and parameters (`$scrypt$ln=…,r=…,p=…$salt$hash`). */
  passwordHash: string;
  /** The groupware account (mailbox) the user works with, when bound to one. */
  account?: string;
  createdAt: number;
  updatedAt: number;
}

export interface UserRepository {
  /** A login already taken is refused (`CRMSYNC_ERR_USER_EXISTS`). */
  create(user: Omit<User, 'createdAt' | 'updatedAt'>): Promise<User>;
  get(id: string): Promise<User | undefined>;
  byLogin(login: string): Promise<User | undefined>;
  /** Every user, by login. */
  list(): Promise<User[]>;
  /** `account: null` unbinds the user from their account; an unknown id is a not-found error. */
  update(
    id: string,
    change: { role?: UserRole; passwordHash?: string; account?: string | null },
  ): Promise<User>;
  /** Deletes the user with their sessions and tokens; false when there was none. */
  remove(id: string): Promise<boolean>;
  count(filter?: { role?: UserRole }): Promise<number>;
  /**
   * The ids of the administrators. Inside a transaction on PostgreSQL their rows stay locked
   * until it ends (SQLite's transactions hold the whole database), so two changes at once can
   * never each remove "the other" last administrator.
   */
  admins(): Promise<string[]>;
}

/** A bearer token for API clients: only its hash is kept. */
export interface ApiToken {
  id: string;
  tokenHash: string;
  name: string;
  /** The user the token acts as. */
  userId: string;
  createdAt: number;
  lastUsedAt?: number;
  expiresAt?: number;
  revokedAt?: number;
}

export interface TokenRepository {
  create(token: Omit<ApiToken, 'createdAt' | 'lastUsedAt' | 'revokedAt'>): Promise<ApiToken>;
  get(id: string): Promise<ApiToken | undefined>;
  byHash(tokenHash: string): Promise<ApiToken | undefined>;
  /** Tokens, newest first; those of one user when given. */
  list(filter?: { userId?: string }): Promise<ApiToken[]>;
  /** Marks the token revoked (a token revoked before keeps its first time); not-found error when unknown. */
  revoke(id: string): Promise<ApiToken>;
  /** Notes that the token was just used. */
  touch(id: string): Promise<void>;
}

/** A signed-in browser: the cookie carries the id, the store its hash. */
export interface Session {
  idHash: string;
  userId: string;
  /** What writes signed in by this session send in `x-csrf-token`. */
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export interface SessionRepository {
  create(session: Omit<Session, 'createdAt' | 'lastSeenAt'>): Promise<Session>;
  get(idHash: string): Promise<Session | undefined>;
  /** Notes activity now, which keeps the session from going idle. */
  touch(idHash: string): Promise<void>;
  remove(idHash: string): Promise<void>;
  /** Signs a user out everywhere; answers how many sessions ended. */
  removeForUser(userId: string): Promise<number>;
  /** Deletes sessions past their absolute end or idle since before `idleSince`; answers how many. */
  removeExpired(idleSince: number): Promise<number>;
}
