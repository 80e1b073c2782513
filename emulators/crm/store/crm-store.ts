import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { emailKey, looseNameKey, nameKey, toE164 } from '../../../core/index.js';
import type { ContactDoc, ContactInput, PartnerDoc, PhotoDoc } from './documents.js';
import { schemaSql } from './schema.js';

export interface ContactFilter {
  name?: string;
  nameMatch?: 'prefix' | 'contains';
  partnerId?: string;
  city?: string;
  email?: string;
  /** E.164 */
  phone?: string;
  groupwareSync?: boolean;
}

export interface PartnerFilter {
  name?: string;
  nameMatch?: 'prefix' | 'contains';
  domain?: string;
  city?: string;
}

/** A page of stored JSON documents, in key order, and where the next page starts. */
export interface DocPage {
  docs: string[];
  lastSeq: number;
  more: boolean;
}

export interface ChangeRow {
  seq: number;
  id: string;
  deleted: boolean;
  doc?: string;
}

export type WriteOutcome =
  | { ok: true; doc: ContactDoc }
  | { ok: false; reason: 'missing' | 'stale'; current?: number };

/** Which current versions a write accepts (its If-Match); undefined accepts any. */
export type VersionCheck = ((version: number) => boolean) | undefined;

/** A create under an idempotency key: the new contact, the earlier one, or a key reused for another body. */
export type IdempotentCreate =
  | { ok: true; doc: ContactDoc; replayed: boolean }
  | { ok: false; reason: 'other-body' | 'deleted'; contactId: string };

interface ContactRow {
  seq: number;
  id: string;
  version: number;
  doc: string;
}

export function contactId(seq: number): string {
  return `AP-${String(seq).padStart(6, '0')}`;
}

function fullName(doc: Pick<ContactDoc, 'firstName' | 'lastName'>): string {
  return `${typeof doc.firstName === 'string' ? doc.firstName : ''} ${typeof doc.lastName === 'string' ? doc.lastName : ''}`;
}

function phonesOf(doc: ContactDoc): string[] {
  if (!doc.phones || typeof doc.phones !== 'object') return [];
  const numbers = Object.values(doc.phones).filter((value): value is string => typeof value === 'string');
  return [...new Set(numbers.map((number) => toE164(number)).filter((e164): e164 is string => !!e164))];
}

function emailsOf(doc: ContactDoc): string[] {
  if (!Array.isArray(doc.emails)) return [];
  const addresses = doc.emails
    .map((email) => (email && typeof email === 'object' ? email.address : undefined))
    .filter((address): address is string => typeof address === 'string');
  return [...new Set(addresses.map(emailKey))];
}

/** Matches the folded name (Mueller = Müller) or the loose one (Muller = Müller). */
function nameCondition(text: string, match: 'prefix' | 'contains' = 'contains'): [string, string[]] {
  // Both keys leave letters, digits and single spaces only, so LIKE wildcards cannot sneak in.
  const pattern = (key: string) => (match === 'prefix' ? `% ${key}%` : `%${key}%`);
  const column = (name: string) => (match === 'prefix' ? `(' ' || ${name})` : name);
  return [
    `(${column('name_key')} LIKE ? OR ${column('loose_key')} LIKE ?)`,
    [pattern(nameKey(text)), pattern(looseNameKey(text))],
  ];
}

/** The conditions partners and contacts share: past the cursor, by name and by city. */
function commonConditions(
  afterSeq: number,
  filter: { name?: string; nameMatch?: 'prefix' | 'contains'; city?: string },
): { where: string[]; params: unknown[] } {
  const where = ['seq > ?'];
  const params: unknown[] = [afterSeq];
  if (filter.name) {
    const [sql, patterns] = nameCondition(filter.name, filter.nameMatch);
    where.push(sql);
    params.push(...patterns);
  }
  if (filter.city) {
    where.push('city_key = ?');
    params.push(nameKey(filter.city));
  }
  return { where, params };
}

/** The reference CRM's data in SQLite: partners, contact persons, photos and the change feed. */
export class CrmStore {
  readonly db: Database.Database;
  private changeSeq: number;
  /** Names this database in change cursors; a new database gets a new epoch. */
  readonly epoch: string;

  constructor(file = ':memory:') {
    this.db = new Database(file);
    this.db.exec(schemaSql);
    this.addMissingColumns();
    this.db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', ?)").run(randomUUID());
    this.epoch = (
      this.db.prepare("SELECT value FROM meta WHERE key = 'epoch'").get() as { value: string }
    ).value;
    this.changeSeq = (
      this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM changes').get() as { seq: number }
    ).seq;
  }

  close(): void {
    this.db.close();
  }

  /** Databases written by an older version lack the loose name key; it is filled in once. */
  private addMissingColumns(): void {
    for (const table of ['contacts', 'partners'] as const) {
      const columns = this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
      if (columns.some((column) => column.name === 'loose_key')) continue;
      this.db.exec(`ALTER TABLE ${table} ADD COLUMN loose_key TEXT NOT NULL DEFAULT ''`);
      const rows = this.db.prepare(`SELECT seq, doc FROM ${table}`).all() as { seq: number; doc: string }[];
      const update = this.db.prepare(`UPDATE ${table} SET loose_key = ? WHERE seq = ?`);
      for (const row of rows) {
        const doc = JSON.parse(row.doc) as ContactDoc & PartnerDoc;
        update.run(looseNameKey(table === 'contacts' ? fullName(doc) : doc.name), row.seq);
      }
    }
  }

  countContacts(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM contacts').get() as { n: number }).n;
  }

  countPartners(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM partners').get() as { n: number }).n;
  }

  // ---- partners -------------------------------------------------------------------------

  insertPartners(partners: readonly PartnerDoc[]): void {
    const insert = this.db.prepare(
      'INSERT INTO partners (id, name_key, loose_key, city_key, domains, doc) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const partner of partners) {
        insert.run(
          partner.id,
          nameKey(partner.name),
          looseNameKey(partner.name),
          partner.address?.city ? nameKey(partner.address.city) : null,
          `,${partner.emailDomains.map((domain) => domain.toLowerCase()).join(',')},`,
          JSON.stringify(partner),
        );
      }
    })();
  }

  getPartner(id: string): PartnerDoc | undefined {
    const row = this.db.prepare('SELECT doc FROM partners WHERE id = ?').get(id) as
      | { doc: string }
      | undefined;
    return row ? (JSON.parse(row.doc) as PartnerDoc) : undefined;
  }

  searchPartners(filter: PartnerFilter, afterSeq: number, limit: number): DocPage {
    const { where, params } = commonConditions(afterSeq, filter);
    if (filter.domain) {
      where.push('domains LIKE ?');
      params.push(`%,${filter.domain.trim().toLowerCase().replace(/[%_]/g, '')},%`);
    }
    return this.page('partners', where, params, limit);
  }

  // ---- contacts -------------------------------------------------------------------------

  /** Inserts many contacts in one transaction (seeding); photos keyed by contact id. */
  insertContacts(contacts: readonly ContactDoc[], photos: ReadonlyMap<string, PhotoDoc> = new Map()): void {
    this.db.transaction(() => {
      for (const contact of contacts) {
        const seq = this.insertContactRow(contact);
        const photo = photos.get(contact.id);
        if (photo) this.statements.putPhoto.run(seq, photo.mediaType, Buffer.from(photo.bytes));
      }
    })();
  }

  /**
   * Stores a document exactly as given, without any validation: how tests put the corrupted
   * records that real CRMs contain into the feed.
   */
  insertRawContact(id: string, raw: unknown): void {
    this.db.transaction(() => {
      const info = this.db
        .prepare(
          'INSERT INTO contacts (id, partner_id, name_key, city_key, groupware_sync, version, doc) VALUES (?, NULL, ?, NULL, 1, 1, ?)',
        )
        .run(id, '', JSON.stringify(raw));
      // Indexed like any record, so lookups by e-mail and phone meet the broken ones too.
      if (raw && typeof raw === 'object') this.indexContact(Number(info.lastInsertRowid), raw as ContactDoc);
      this.recordChange(id, false);
    })();
  }

  getContact(id: string): { doc: string; version: number } | undefined {
    return this.statements.getContact.get(id) as ContactRow | undefined;
  }

  searchContacts(filter: ContactFilter, afterSeq: number, limit: number): DocPage {
    const { where, params } = commonConditions(afterSeq, filter);
    if (filter.partnerId) {
      where.push('partner_id = ?');
      params.push(filter.partnerId);
    }
    if (filter.email) {
      where.push('seq IN (SELECT contact_seq FROM contact_emails WHERE email_key = ?)');
      params.push(emailKey(filter.email));
    }
    if (filter.phone) {
      where.push('seq IN (SELECT contact_seq FROM contact_phones WHERE e164 = ?)');
      params.push(filter.phone);
    }
    if (filter.groupwareSync !== undefined) {
      where.push('groupware_sync = ?');
      params.push(filter.groupwareSync ? 1 : 0);
    }
    return this.page('contacts', where, params, limit);
  }

  lookupByEmails(addresses: readonly string[]): string[] {
    const keys = [...new Set(addresses.map(emailKey))];
    if (!keys.length) return [];
    return this.docsWhere(
      `seq IN (SELECT contact_seq FROM contact_emails WHERE email_key IN (${keys.map(() => '?').join(',')}))`,
      keys,
    );
  }

  lookupByPhones(e164s: readonly string[]): string[] {
    const keys = [...new Set(e164s)];
    if (!keys.length) return [];
    return this.docsWhere(
      `seq IN (SELECT contact_seq FROM contact_phones WHERE e164 IN (${keys.map(() => '?').join(',')}))`,
      keys,
    );
  }

  createContact(input: ContactInput, now: string, partnerName?: string): ContactDoc {
    return this.db.transaction(() => {
      const next = this.nextContactSeq();
      const doc = toDoc(input, {
        id: contactId(next),
        version: 1,
        createdAt: now,
        updatedAt: now,
        hasPhoto: false,
        partnerName,
      });
      this.insertContactRow(doc, next);
      return doc;
    })();
  }

  /**
   * Creates a contact once per idempotency key: the same key with the same body answers the
   * contact the first request created (as it is now); with another body it is refused. Key
   * and contact are stored in one transaction, so a crash never leaves one without the other.
   */
  createContactOnce(
    key: string,
    bodyHash: string,
    input: ContactInput,
    now: string,
    partnerName?: string,
  ): IdempotentCreate {
    return this.db.transaction((): IdempotentCreate => {
      const known = this.statements.getIdempotencyKey.get(key) as
        | { contactId: string; bodyHash: string }
        | undefined;
      if (known) {
        if (known.bodyHash !== bodyHash)
          return { ok: false, reason: 'other-body', contactId: known.contactId };
        const row = this.statements.getContact.get(known.contactId) as ContactRow | undefined;
        if (!row) return { ok: false, reason: 'deleted', contactId: known.contactId };
        return { ok: true, doc: JSON.parse(row.doc) as ContactDoc, replayed: true };
      }
      const doc = this.createContact(input, now, partnerName);
      this.statements.putIdempotencyKey.run(key, doc.id, bodyHash, now);
      return { ok: true, doc, replayed: false };
    })();
  }

  /** The contact created under an idempotency key, while it exists. */
  contactCreatedWith(key: string): { doc: string; version: number } | undefined {
    const known = this.statements.getIdempotencyKey.get(key) as { contactId: string } | undefined;
    return known ? this.getContact(known.contactId) : undefined;
  }

  /**
   * A number no contact ever had: AUTOINCREMENT never hands out a deleted row's number, and
   * tombstones are skipped for databases created before the table used it.
   */
  private nextContactSeq(): number {
    const highest = (
      this.db
        .prepare(
          "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0), COALESCE((SELECT MAX(seq) FROM contacts), 0)) AS seq",
        )
        .get() as { seq: number }
    ).seq;
    let next = highest + 1;
    const known = this.db.prepare('SELECT 1 FROM changes WHERE contact_id = ?');
    while (known.get(contactId(next))) next += 1;
    return next;
  }

  updateContact(
    id: string,
    input: ContactInput,
    accepts: VersionCheck,
    now: string,
    partnerName?: string,
  ): WriteOutcome {
    return this.db.transaction((): WriteOutcome => {
      const row = this.statements.getContact.get(id) as ContactRow | undefined;
      if (!row) return { ok: false, reason: 'missing' };
      if (accepts && !accepts(row.version)) {
        return { ok: false, reason: 'stale', current: row.version };
      }
      const previous = JSON.parse(row.doc) as Partial<ContactDoc>;
      const doc = toDoc(input, {
        id,
        version: row.version + 1,
        createdAt: previous.createdAt ?? now,
        updatedAt: now,
        hasPhoto: !!this.statements.getPhoto.get(row.seq),
        partnerName,
      });
      this.rewriteContactRow(row.seq, doc);
      return { ok: true, doc };
    })();
  }

  deleteContact(id: string, accepts: VersionCheck): WriteOutcome | { ok: true } {
    return this.db.transaction(() => {
      const row = this.statements.getContact.get(id) as ContactRow | undefined;
      if (!row) return { ok: false as const, reason: 'missing' as const };
      if (accepts && !accepts(row.version)) {
        return { ok: false as const, reason: 'stale' as const, current: row.version };
      }
      this.db.prepare('DELETE FROM contacts WHERE seq = ?').run(row.seq);
      this.db.prepare('DELETE FROM contact_emails WHERE contact_seq = ?').run(row.seq);
      this.db.prepare('DELETE FROM contact_phones WHERE contact_seq = ?').run(row.seq);
      this.db.prepare('DELETE FROM photos WHERE contact_seq = ?').run(row.seq);
      this.recordChange(id, true);
      return { ok: true as const };
    })();
  }

  getPhoto(id: string): PhotoDoc | undefined {
    const row = this.db
      .prepare(
        'SELECT p.media_type AS mediaType, p.bytes AS bytes FROM photos p JOIN contacts c ON c.seq = p.contact_seq WHERE c.id = ?',
      )
      .get(id) as { mediaType: string; bytes: Buffer } | undefined;
    return row ? { mediaType: row.mediaType, bytes: new Uint8Array(row.bytes) } : undefined;
  }

  /**
   * Sets or removes a photo; the contact gets a new version, since its data changed. Removing
   * a photo that is not there changes nothing and keeps the version.
   */
  setPhoto(id: string, photo: PhotoDoc | undefined, now: string, accepts?: VersionCheck): WriteOutcome {
    return this.db.transaction((): WriteOutcome => {
      const row = this.statements.getContact.get(id) as ContactRow | undefined;
      if (!row) return { ok: false, reason: 'missing' };
      if (accepts && !accepts(row.version)) {
        return { ok: false, reason: 'stale', current: row.version };
      }
      if (!photo && !this.statements.getPhoto.get(row.seq)) {
        return { ok: true, doc: JSON.parse(row.doc) as ContactDoc };
      }
      if (photo) this.statements.putPhoto.run(row.seq, photo.mediaType, Buffer.from(photo.bytes));
      else this.db.prepare('DELETE FROM photos WHERE contact_seq = ?').run(row.seq);
      const doc = {
        ...(JSON.parse(row.doc) as ContactDoc),
        hasPhoto: !!photo,
        version: row.version + 1,
        updatedAt: now,
      };
      this.rewriteContactRow(row.seq, doc);
      return { ok: true, doc };
    })();
  }

  changesSince(afterSeq: number, limit: number): { changes: ChangeRow[]; more: boolean } {
    const rows = this.statements.changes.all(afterSeq, limit + 1) as {
      seq: number;
      id: string;
      deleted: number;
      doc: string | null;
    }[];
    const more = rows.length > limit;
    return {
      more,
      changes: rows
        .slice(0, limit)
        .map((row) => ({ seq: row.seq, id: row.id, deleted: row.deleted === 1, doc: row.doc ?? undefined })),
    };
  }

  latestChangeSeq(): number {
    return this.changeSeq;
  }

  // ---- internals ------------------------------------------------------------------------

  private statementCache?: ReturnType<CrmStore['prepareStatements']>;
  private get statements() {
    this.statementCache ??= this.prepareStatements();
    return this.statementCache;
  }

  private prepareStatements() {
    return {
      insertContact: this.db.prepare(
        'INSERT INTO contacts (seq, id, partner_id, name_key, loose_key, city_key, groupware_sync, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      updateContact: this.db.prepare(
        'UPDATE contacts SET partner_id = ?, name_key = ?, loose_key = ?, city_key = ?, groupware_sync = ?, version = ?, doc = ? WHERE seq = ?',
      ),
      getContact: this.db.prepare('SELECT seq, id, version, doc FROM contacts WHERE id = ?'),
      getIdempotencyKey: this.db.prepare(
        'SELECT contact_id AS contactId, body_hash AS bodyHash FROM idempotency_keys WHERE key = ?',
      ),
      putIdempotencyKey: this.db.prepare(
        'INSERT INTO idempotency_keys (key, contact_id, body_hash, created_at) VALUES (?, ?, ?, ?)',
      ),
      insertEmail: this.db.prepare('INSERT INTO contact_emails (contact_seq, email_key) VALUES (?, ?)'),
      insertPhone: this.db.prepare('INSERT INTO contact_phones (contact_seq, e164) VALUES (?, ?)'),
      putPhoto: this.db.prepare(
        'INSERT OR REPLACE INTO photos (contact_seq, media_type, bytes) VALUES (?, ?, ?)',
      ),
      getPhoto: this.db.prepare('SELECT 1 FROM photos WHERE contact_seq = ?'),
      recordChange: this.db.prepare(
        'INSERT OR REPLACE INTO changes (contact_id, seq, deleted) VALUES (?, ?, ?)',
      ),
      changes: this.db.prepare(
        'SELECT ch.seq AS seq, ch.contact_id AS id, ch.deleted AS deleted, c.doc AS doc FROM changes ch LEFT JOIN contacts c ON c.id = ch.contact_id WHERE ch.seq > ? ORDER BY ch.seq LIMIT ?',
      ),
    };
  }

  private insertContactRow(doc: ContactDoc, givenSeq: number | null = null): number {
    const info = this.statements.insertContact.run(
      givenSeq,
      doc.id,
      doc.partnerId,
      nameKey(fullName(doc)),
      looseNameKey(fullName(doc)),
      doc.address?.city ? nameKey(doc.address.city) : null,
      doc.groupwareSync ? 1 : 0,
      doc.version,
      JSON.stringify(doc),
    );
    const seq = Number(info.lastInsertRowid);
    this.indexContact(seq, doc);
    this.recordChange(doc.id, false);
    return seq;
  }

  private rewriteContactRow(seq: number, doc: ContactDoc): void {
    this.statements.updateContact.run(
      doc.partnerId,
      nameKey(fullName(doc)),
      looseNameKey(fullName(doc)),
      doc.address?.city ? nameKey(doc.address.city) : null,
      doc.groupwareSync ? 1 : 0,
      doc.version,
      JSON.stringify(doc),
      seq,
    );
    this.db.prepare('DELETE FROM contact_emails WHERE contact_seq = ?').run(seq);
    this.db.prepare('DELETE FROM contact_phones WHERE contact_seq = ?').run(seq);
    this.indexContact(seq, doc);
    this.recordChange(doc.id, false);
  }

  private indexContact(seq: number, doc: ContactDoc): void {
    for (const key of emailsOf(doc)) this.statements.insertEmail.run(seq, key);
    for (const e164 of phonesOf(doc)) this.statements.insertPhone.run(seq, e164);
  }

  private recordChange(id: string, deleted: boolean): void {
    this.changeSeq += 1;
    this.statements.recordChange.run(id, this.changeSeq, deleted ? 1 : 0);
  }

  private page(table: 'contacts' | 'partners', where: string[], params: unknown[], limit: number): DocPage {
    const rows = this.db
      .prepare(`SELECT seq, doc FROM ${table} WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`)
      .all(...params, limit + 1) as { seq: number; doc: string }[];
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    return { docs: kept.map((row) => row.doc), lastSeq: kept.at(-1)?.seq ?? 0, more };
  }

  private docsWhere(condition: string, params: unknown[]): string[] {
    return (
      this.db.prepare(`SELECT doc FROM contacts WHERE ${condition} ORDER BY seq`).all(...params) as {
        doc: string;
      }[]
    ).map((row) => row.doc);
  }
}

/** A stored document from client input: server-owned fields come from `owned`, in a stable key order. */
export function toDoc(
  input: ContactInput,
  owned: Pick<ContactDoc, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'hasPhoto'> & {
    partnerName?: string;
  },
): ContactDoc {
  const doc: ContactDoc = {
    id: owned.id,
    partnerId: input.partnerId,
    partnerName: owned.partnerName,
    salutationCode: input.salutationCode,
    title: input.title,
    firstName: input.firstName,
    lastName: input.lastName,
    jobTitle: input.jobTitle,
    department: input.department,
    emails: input.emails ?? [],
    phones: input.phones ?? {},
    address: input.address,
    homeAddress: input.homeAddress,
    birthday: input.birthday,
    notes: input.notes,
    website: input.website,
    groupwareSync: input.groupwareSync ?? true,
    hasPhoto: owned.hasPhoto,
    version: owned.version,
    createdAt: owned.createdAt,
    updatedAt: owned.updatedAt,
  };
  return JSON.parse(JSON.stringify(doc, (_key, value) => (value === null ? undefined : value))) as ContactDoc;
}
