/**
 * The tables as the queries see them. Times are epoch milliseconds, booleans 0/1 and
 * structured values JSON text, so SQLite and PostgreSQL hold the same things.
 */
export interface StoreTables {
  links: LinkRow;
  plans: PlanRow;
  plan_items: PlanItemRow;
  cursors: CursorRow;
  journal: JournalRow;
  leases: LeaseRow;
  blobs: BlobRow;
  index_buckets: IndexBucketRow;
  index_contacts: IndexContactRow;
  index_state: IndexStateRow;
  users: UserRow;
  api_tokens: ApiTokenRow;
  sessions: SessionRow;
}

export interface LinkRow {
  account_id: string;
  crm_id: string;
  groupware_id: string;
  crm_version: string | null;
  groupware_version: string | null;
  baseline: string;
  photo_hash: string | null;
  synced_at: number;
}

export interface PlanRow {
  id: string;
  kind: string;
  account_id: string;
  status: string;
  options: string;
  summary: string;
  created_at: number;
  updated_at: number;
  /** The user who made the plan; null for one made by the CLI or an open or API-key host. */
  owner_id: string | null;
}

export interface PlanItemRow {
  plan_id: string;
  seq: number;
  selected: number;
  action: string;
  reason: string;
  verdict: string | null;
  outcome_state: string | null;
  crm_photo_hash: string | null;
  groupware_photo_hash: string | null;
  item: string;
}

export interface CursorRow {
  account_id: string;
  side: string;
  cursor: string;
}

export interface JournalRow {
  key: string;
  plan_id: string;
  position: number;
  seq: number;
  side: string;
  operation: string;
  target_id: string | null;
  before: string | null;
  before_photo_hash: string | null;
  intent: string;
  intent_photo_hash: string | null;
  state: string;
  outcome: string | null;
  at: number;
}

export interface LeaseRow {
  account_id: string;
  holder: string;
  expires_at: number;
}

export interface BlobRow {
  hash: string;
  media_type: string;
  bytes: Uint8Array;
  stored_at: number;
}

/** Integers below 2^53; PostgreSQL's `bigint` reads back as a string. */
export interface IndexBucketRow {
  bucket: number | string;
  /** (key hash, ordinal) pairs as little-endian 64-bit floats. */
  entries: Uint8Array;
}

export interface IndexContactRow {
  ordinal: number | string;
  crm_id: string;
  /** The contact's key hashes as little-endian 64-bit floats. */
  key_hashes: Uint8Array;
  contact: string;
  /** The rules' profiles of the contact, by rule id, as JSON. */
  profiles: string;
}

export interface IndexStateRow {
  id: number;
  cursor: string | null;
  rules_fingerprint: string | null;
}

export interface UserRow {
  id: string;
  login: string;
  role: string;
  password_hash: string;
  account: string | null;
  created_at: number;
  updated_at: number;
}

export interface ApiTokenRow {
  id: string;
  /** Hex SHA-256 of the token: the token itself is shown once and never stored. */
  token_hash: string;
  name: string;
  user_id: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface SessionRow {
  /** Hex SHA-256 of the session id the cookie carries. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  /** The absolute end of the session, however active it is. */
  expires_at: number;
}
