import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';

export type StoreDialect = 'sqlite' | 'postgres';

/**
 * The schema's history, oldest first. Migrations live in code rather than in a folder the
 * migrator scans, so the compiled layout (dist/, a bundle) cannot lose one. A migration, once
 * released, never changes: a change of schema is a new entry.
 */
export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  // PostgreSQL has no `blob` type; it is the one column the dialects spell differently.
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    '0001-initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('links')
          .addColumn('account_id', 'text', (c) => c.notNull())
          .addColumn('crm_id', 'text', (c) => c.notNull())
          .addColumn('groupware_id', 'text', (c) => c.notNull())
          .addColumn('crm_version', 'text')
          .addColumn('groupware_version', 'text')
          .addColumn('baseline', 'text', (c) => c.notNull())
          .addColumn('photo_hash', 'text')
          .addColumn('synced_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('links_pk', ['account_id', 'crm_id'])
          .addUniqueConstraint('links_groupware_unique', ['account_id', 'groupware_id'])
          .execute();
        await db.schema.createIndex('links_photo_hash').on('links').column('photo_hash').execute();

        await db.schema
          .createTable('plans')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('account_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('options', 'text', (c) => c.notNull())
          .addColumn('summary', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('plans_newest').on('plans').columns(['created_at', 'id']).execute();

        await db.schema
          .createTable('plan_items')
          .addColumn('plan_id', 'text', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('selected', 'integer', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('verdict', 'text')
          .addColumn('outcome_state', 'text')
          .addColumn('crm_photo_hash', 'text')
          .addColumn('groupware_photo_hash', 'text')
          .addColumn('item', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('plan_items_pk', ['plan_id', 'seq'])
          .addForeignKeyConstraint('plan_items_plan', ['plan_id'], 'plans', ['id'], (c) =>
            c.onDelete('cascade'),
          )
          .execute();
        for (const column of ['selected', 'action', 'reason', 'verdict', 'outcome_state'])
          await db.schema
            .createIndex(`plan_items_${column}`)
            .on('plan_items')
            .columns(['plan_id', column, 'seq'])
            .execute();
        for (const column of ['crm_photo_hash', 'groupware_photo_hash'])
          await db.schema.createIndex(`plan_items_${column}`).on('plan_items').column(column).execute();

        await db.schema
          .createTable('cursors')
          .addColumn('account_id', 'text', (c) => c.notNull())
          .addColumn('side', 'text', (c) => c.notNull())
          .addColumn('cursor', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('cursors_pk', ['account_id', 'side'])
          .execute();

        await db.schema
          .createTable('journal')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('plan_id', 'text', (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('side', 'text', (c) => c.notNull())
          .addColumn('operation', 'text', (c) => c.notNull())
          .addColumn('target_id', 'text')
          .addColumn('before', 'text')
          .addColumn('before_photo_hash', 'text')
          .addColumn('intent', 'text', (c) => c.notNull())
          .addColumn('intent_photo_hash', 'text')
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text')
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('journal_order').on('journal').columns(['plan_id', 'position']).execute();
        for (const column of ['before_photo_hash', 'intent_photo_hash'])
          await db.schema.createIndex(`journal_${column}`).on('journal').column(column).execute();

        await db.schema
          .createTable('leases')
          .addColumn('account_id', 'text', (c) => c.primaryKey())
          .addColumn('holder', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('blobs')
          .addColumn('hash', 'text', (c) => c.primaryKey())
          .addColumn('media_type', 'text', (c) => c.notNull())
          .addColumn('bytes', bytes, (c) => c.notNull())
          .addColumn('stored_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('index_contacts')
          .addColumn('crm_id', 'text', (c) => c.primaryKey())
          .addColumn('contact', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('index_keys')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('crm_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('index_keys_pk', ['key', 'crm_id'])
          .execute();
        await db.schema.createIndex('index_keys_by_contact').on('index_keys').column('crm_id').execute();
        await db.schema
          .createTable('index_state')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('cursor', 'text')
          .addColumn('rules_fingerprint', 'text')
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const table of [
          'index_state',
          'index_keys',
          'index_contacts',
          'blobs',
          'leases',
          'journal',
          'cursors',
          'plan_items',
          'plans',
          'links',
        ])
          await db.schema.dropTable(table).execute();
      },
    },
    // Candidate keys without a primary key, so both of their indexes can be dropped while a
    // rebuild loads a million contacts and built once at its end. The index is derived data:
    // it is emptied here and rebuilt from the CRM.
    '0002-rebuildable-candidate-keys': {
      async up(db: Kysely<unknown>) {
        await db.schema.dropTable('index_keys').execute();
        await db.schema
          .createTable('index_keys')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('crm_id', 'text', (c) => c.notNull())
          .execute();
        await createCandidateKeyIndexes(db);
        await sql`delete from index_contacts`.execute(db);
        await sql`delete from index_state`.execute(db);
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('index_keys').execute();
        await db.schema
          .createTable('index_keys')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('crm_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('index_keys_pk', ['key', 'crm_id'])
          .execute();
        await db.schema.createIndex('index_keys_by_contact').on('index_keys').column('crm_id').execute();
        await sql`delete from index_contacts`.execute(db);
        await sql`delete from index_state`.execute(db);
      },
    },
    // Ids order by their code points on every database, as they do in SQLite and in the
    // engine's own comparisons, whatever collation a PostgreSQL database was created with;
    // key lookups compare bytes instead of asking the locale, too.
    '0003-ids-in-code-point-order': {
      async up(db: Kysely<unknown>) {
        if (dialect !== 'postgres') return;
        for (const [table, column] of codePointColumns)
          await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} type text collate "C"`.execute(
            db,
          );
      },
      async down(db: Kysely<unknown>) {
        if (dialect !== 'postgres') return;
        for (const [table, column] of codePointColumns)
          await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} type text collate "default"`.execute(
            db,
          );
      },
    },
    // Blocking keys as integer hashes, filed in a fixed number of buckets: a million contacts'
    // ten million keys are a million rows, which load in a fraction of the time ten million
    // rows of strings took. The index is derived data: it is emptied here and rebuilt from the CRM.
    '0004-candidate-keys-as-integers': {
      async up(db: Kysely<unknown>) {
        await db.schema.dropTable('index_keys').execute();
        await db.schema.dropTable('index_contacts').execute();
        await createBucketedCandidateTables(db, dialect, { profiles: false });
        await sql`delete from index_state`.execute(db);
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('index_buckets').execute();
        await db.schema.dropTable('index_contacts').execute();
        await db.schema
          .createTable('index_contacts')
          .addColumn('crm_id', 'text', (c) => c.primaryKey())
          .addColumn('contact', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('index_keys')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('crm_id', 'text', (c) => c.notNull())
          .execute();
        await createCandidateKeyIndexes(db);
        if (dialect === 'postgres')
          for (const [table, column] of codePointColumns.filter(([table]) => table.startsWith('index_')))
            await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} type text collate "C"`.execute(
              db,
            );
        await sql`delete from index_state`.execute(db);
      },
    },
    // Who may use the API: users with their password hashes, API tokens (hashed) and sign-in
    // sessions (by the hash of their id), so that several hosts on one store share them; and
    // the owner of each plan, so that a user sees only their own plans and runs.
    '0005-access': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('login', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('account', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('api_tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('last_used_at', 'bigint')
          .addColumn('expires_at', 'bigint')
          .addColumn('revoked_at', 'bigint')
          .execute();
        await db.schema.createIndex('api_tokens_by_user').on('api_tokens').column('user_id').execute();
        await db.schema
          .createTable('sessions')
          .addColumn('id_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('csrf_token', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sessions_by_user').on('sessions').column('user_id').execute();
        await db.schema.createIndex('sessions_by_expiry').on('sessions').column('expires_at').execute();
        await db.schema.alterTable('plans').addColumn('owner_id', 'text').execute();
        await db.schema
          .createIndex('plans_by_owner')
          .on('plans')
          .columns(['owner_id', 'created_at', 'id'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropIndex('plans_by_owner').execute();
        await db.schema.alterTable('plans').dropColumn('owner_id').execute();
        for (const table of ['sessions', 'api_tokens', 'users']) await db.schema.dropTable(table).execute();
      },
    },
    // Each contact's profiles (what the rules derived of it) beside the contact, so that
    // judging a candidate pair reads them instead of deriving them again from the contact.
    // The index is derived data: it is emptied here and rebuilt from the CRM.
    '0006-candidate-profiles': {
      async up(db: Kysely<unknown>) {
        await db.schema.dropTable('index_buckets').execute();
        await db.schema.dropTable('index_contacts').execute();
        await createBucketedCandidateTables(db, dialect, { profiles: true });
        await sql`delete from index_state`.execute(db);
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('index_buckets').execute();
        await db.schema.dropTable('index_contacts').execute();
        await createBucketedCandidateTables(db, dialect, { profiles: false });
        await sql`delete from index_state`.execute(db);
      },
    },
  };
}

/**
 * `index_contacts` numbers each contact (its ordinal) and keeps the hashes of its keys (as
 * little-endian 64-bit floats), so a change finds the buckets its old keys were filed in,
 * and (from `0005`) the rules' profiles of it as JSON. `index_buckets` holds, per bucket, the
 * (key hash, ordinal) pairs whose hash falls in it, as little-endian 64-bit floats.
 */
async function createBucketedCandidateTables(
  db: Kysely<unknown>,
  dialect: StoreDialect,
  { profiles }: { profiles: boolean },
): Promise<void> {
  const integer = dialect === 'postgres' ? 'bigint' : 'integer';
  let contacts = db.schema
    .createTable('index_contacts')
    .addColumn('ordinal', integer, (c) => c.primaryKey())
    .addColumn('crm_id', 'text', (c) =>
      dialect === 'postgres' ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull(),
    )
    .addColumn('key_hashes', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull());
  if (profiles) contacts = contacts.addColumn('profiles', 'text', (c) => c.notNull());
  await contacts.execute();
  await db.schema
    .createIndex('index_contacts_by_crm_id')
    .unique()
    .on('index_contacts')
    .column('crm_id')
    .execute();
  await db.schema
    .createTable('index_buckets')
    .addColumn('bucket', integer, (c) => c.primaryKey())
    .addColumn('entries', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .execute();
}

const codePointColumns = [
  ['links', 'crm_id'],
  ['links', 'groupware_id'],
  ['journal', 'key'],
  ['plans', 'id'],
  ['index_keys', 'key'],
  ['index_keys', 'crm_id'],
  ['index_contacts', 'crm_id'],
] as const;

const candidateKeyIndexes = [
  ['index_keys_by_key', ['key', 'crm_id']],
  ['index_keys_by_contact', ['crm_id']],
] as const;

/** The indexes of the candidate keys as strings (before `0004`), for the migrations that made them. */
async function createCandidateKeyIndexes(db: Pick<Kysely<unknown>, 'schema'>): Promise<void> {
  for (const [name, columns] of candidateKeyIndexes)
    await db.schema
      .createIndex(name)
      .ifNotExists()
      .on('index_keys')
      .columns([...columns])
      .execute();
}

export const MIGRATION_TABLE = 'crmsync_migration';
export const MIGRATION_LOCK_TABLE = 'crmsync_migration_lock';

export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return { getMigrations: async () => storeMigrations(dialect) };
}
