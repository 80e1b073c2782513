import { CrmsyncError } from '../../domain/errors.js';
import type { UserRow } from '../schema.js';
import type { User, UserRepository, UserRole } from '../state-store.js';
import { orNull, orUndefined, type StoreContext } from '../store-context.js';
import { isUniqueViolation } from '../store-errors.js';

function userFromRow(row: UserRow): User {
  const user: User = {
    id: row.id,
    login: row.login,
    role: row.role as UserRole,
    passwordHash: row.password_hash,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
  const account = orUndefined(row.account);
  if (account !== undefined) user.account = account;
  return user;
}

const loginTaken = (login: string, cause: unknown) =>
  new CrmsyncError(
    'CRMSYNC_ERR_USER_EXISTS',
    `there is a user ${login} already`,
    { field: 'login' },
    { cause },
  );

export class SqlUserRepository implements UserRepository {
  constructor(private readonly context: StoreContext) {}

  async create(user: Omit<User, 'createdAt' | 'updatedAt'>): Promise<User> {
    const now = this.context.now();
    const created: User = { ...user, createdAt: now, updatedAt: now };
    try {
      await this.context.db
        .insertInto('users')
        .values({
          id: created.id,
          login: created.login,
          role: created.role,
          password_hash: created.passwordHash,
          account: orNull(created.account),
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw loginTaken(user.login, error);
      throw error;
    }
    return created;
  }

  async get(id: string): Promise<User | undefined> {
    const row = await this.context.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && userFromRow(row);
  }

  async byLogin(login: string): Promise<User | undefined> {
    const row = await this.context.db
      .selectFrom('users')
      .selectAll()
      .where('login', '=', login)
      .executeTakeFirst();
    return row && userFromRow(row);
  }

  async list(): Promise<User[]> {
    const rows = await this.context.db.selectFrom('users').selectAll().orderBy('login').execute();
    return rows.map(userFromRow);
  }

  async update(
    id: string,
    change: { role?: UserRole; passwordHash?: string; account?: string | null },
  ): Promise<User> {
    const set: Partial<UserRow> = { updated_at: this.context.now() };
    if (change.role !== undefined) set.role = change.role;
    if (change.passwordHash !== undefined) set.password_hash = change.passwordHash;
    if (change.account !== undefined) set.account = change.account;
    const result = await this.context.db
      .updateTable('users')
      .set(set)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0)
      throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `there is no user ${id}`, { recordId: id });
    return (await this.get(id))!;
  }

  async remove(id: string): Promise<boolean> {
    // The database deletes the user's sessions and tokens with them (on delete cascade).
    const result = await this.context.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async count(filter: { role?: UserRole } = {}): Promise<number> {
    let query = this.context.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('count'));
    if (filter.role !== undefined) query = query.where('role', '=', filter.role);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async admins(): Promise<string[]> {
    const rows = await this.context.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .$if(this.context.dialect === 'postgres', (query) => query.forUpdate())
      .execute();
    return rows.map((row) => row.id);
  }
}
