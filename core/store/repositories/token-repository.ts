import { CrmsyncError } from '../../domain/errors.js';
import type { ApiTokenRow } from '../schema.js';
import type { ApiToken, TokenRepository } from '../state-store.js';
import { orNull, type StoreContext } from '../store-context.js';

function tokenFromRow(row: ApiTokenRow): ApiToken {
  const token: ApiToken = {
    id: row.id,
    tokenHash: row.token_hash,
    name: row.name,
    userId: row.user_id,
    createdAt: Number(row.created_at),
  };
  if (row.last_used_at !== null) token.lastUsedAt = Number(row.last_used_at);
  if (row.expires_at !== null) token.expiresAt = Number(row.expires_at);
  if (row.revoked_at !== null) token.revokedAt = Number(row.revoked_at);
  return token;
}

export class SqlTokenRepository implements TokenRepository {
  constructor(private readonly context: StoreContext) {}

  async create(token: Omit<ApiToken, 'createdAt' | 'lastUsedAt' | 'revokedAt'>): Promise<ApiToken> {
    const created: ApiToken = { ...token, createdAt: this.context.now() };
    await this.context.db
      .insertInto('api_tokens')
      .values({
        id: created.id,
        token_hash: created.tokenHash,
        name: created.name,
        user_id: created.userId,
        created_at: created.createdAt,
        last_used_at: null,
        expires_at: orNull(created.expiresAt),
        revoked_at: null,
      })
      .execute();
    return created;
  }

  async get(id: string): Promise<ApiToken | undefined> {
    const row = await this.context.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && tokenFromRow(row);
  }

  async byHash(tokenHash: string): Promise<ApiToken | undefined> {
    const row = await this.context.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && tokenFromRow(row);
  }

  async list(filter: { userId?: string } = {}): Promise<ApiToken[]> {
    let query = this.context.db.selectFrom('api_tokens').selectAll();
    if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').execute();
    return rows.map(tokenFromRow);
  }

  async revoke(id: string): Promise<ApiToken> {
    await this.context.db
      .updateTable('api_tokens')
      .set({ revoked_at: this.context.now() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    const token = await this.get(id);
    if (!token) throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `there is no token ${id}`, { recordId: id });
    return token;
  }

  async touch(id: string): Promise<void> {
    await this.context.db
      .updateTable('api_tokens')
      .set({ last_used_at: this.context.now() })
      .where('id', '=', id)
      .execute();
  }
}
