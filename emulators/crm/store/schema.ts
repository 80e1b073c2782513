/**
 * Tables of the reference CRM. Each record is kept as the JSON document the API serves, so a
 * page is answered by joining stored strings; the other columns are search keys only.
 */
export const schemaSql = `
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS partners (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name_key TEXT NOT NULL,
  loose_key TEXT NOT NULL DEFAULT '',
  city_key TEXT,
  domains TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contacts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  partner_id TEXT,
  name_key TEXT NOT NULL,
  loose_key TEXT NOT NULL DEFAULT '',
  city_key TEXT,
  groupware_sync INTEGER NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS contacts_partner ON contacts (partner_id);
CREATE INDEX IF NOT EXISTS contacts_city ON contacts (city_key);
CREATE TABLE IF NOT EXISTS contact_emails (contact_seq INTEGER NOT NULL, email_key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS contact_emails_key ON contact_emails (email_key);
CREATE INDEX IF NOT EXISTS contact_emails_contact ON contact_emails (contact_seq);
CREATE TABLE IF NOT EXISTS contact_phones (contact_seq INTEGER NOT NULL, e164 TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS contact_phones_key ON contact_phones (e164);
CREATE INDEX IF NOT EXISTS contact_phones_contact ON contact_phones (contact_seq);
CREATE TABLE IF NOT EXISTS photos (contact_seq INTEGER PRIMARY KEY, media_type TEXT NOT NULL, bytes BLOB NOT NULL);
-- Identifies this database in change cursors, so a cursor from another database is refused.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Creates sent with an Idempotency-Key: a repeated request answers the contact it made.
CREATE TABLE IF NOT EXISTS idempotency_keys (key TEXT PRIMARY KEY, contact_id TEXT NOT NULL, body_hash TEXT NOT NULL, created_at TEXT NOT NULL);
-- One row per contact that ever changed: the latest change wins, deletions stay as tombstones.
CREATE TABLE IF NOT EXISTS changes (contact_id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, deleted INTEGER NOT NULL);
`;
