import type { SessionRow } from '../schema.js';
import type { Session, SessionRepository } from '../state-store.js';
import type { StoreContext } from '../store-context.js';

function sessionFromRow(row: SessionRow): Session {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    expiresAt: Number(row.expires_at),
  };
}

export class SqlSessionRepository implements SessionRepository {
  constructor(private readonly context: StoreContext) {}

  async create(session: Omit<Session, 'createdAt' | 'lastSeenAt'>): Promise<Session> {
    const now = this.context.now();
    const created: Session = { ...session, createdAt: now, lastSeenAt: now };
    await this.context.db
      .insertInto('sessions')
      .values({
        id_hash: created.idHash,
        user_id: created.userId,
        csrf_token: created.csrfToken,
        created_at: now,
        last_seen_at: now,
        expires_at: created.expiresAt,
      })
      .execute();
    return created;
  }

  async get(idHash: string): Promise<Session | undefined> {
    const row = await this.context.db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    return row && sessionFromRow(row);
  }

  async touch(idHash: string): Promise<void> {
    await this.context.db
      .updateTable('sessions')
      .set({ last_seen_at: this.context.now() })
      .where('id_hash', '=', idHash)
      .execute();
  }

  async remove(idHash: string): Promise<void> {
    await this.context.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async removeForUser(userId: string): Promise<number> {
    const result = await this.context.db
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async removeExpired(idleSince: number): Promise<number> {
    const result = await this.context.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', this.context.now()), eb('last_seen_at', '<', idleSince)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
