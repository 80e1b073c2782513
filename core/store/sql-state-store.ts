import { type Kysely, sql } from 'kysely';
import type { StoreDialect } from './migrations.js';
import { SqlBlobRepository } from './repositories/blob-repository.js';
import { SqlCandidateIndex } from './repositories/candidate-index.js';
import { SqlCursorRepository } from './repositories/cursor-repository.js';
import type { IndexThreads } from './repositories/index-threads.js';
import { SqlJournalRepository } from './repositories/journal-repository.js';
import { SqlLeaseRepository } from './repositories/lease-repository.js';
import { SqlLinkRepository } from './repositories/link-repository.js';
import { SqlPlanRepository } from './repositories/plan-repository.js';
import { SqlSessionRepository } from './repositories/session-repository.js';
import { SqlTokenRepository } from './repositories/token-repository.js';
import { SqlUserRepository } from './repositories/user-repository.js';
import type { StoreTables } from './schema.js';
import type { StateScope, StateStore } from './state-store.js';
import { type StoreContext, standaloneContext, transactionContext } from './store-context.js';
import { TransactionGuard } from './transaction-guard.js';

/** The repositories over one context; the candidate index may have threads of its own. */
function scopeOver(context: StoreContext, indexThreads?: IndexThreads): StateScope {
  return {
    links: new SqlLinkRepository(context),
    plans: new SqlPlanRepository(context),
    cursors: new SqlCursorRepository(context),
    journal: new SqlJournalRepository(context),
    leases: new SqlLeaseRepository(context),
    blobs: new SqlBlobRepository(context),
    candidates: new SqlCandidateIndex(context, indexThreads),
    users: new SqlUserRepository(context),
    tokens: new SqlTokenRepository(context),
    sessions: new SqlSessionRepository(context),
  };
}

/** The state store on a query builder; the dialect decides whether SQLite or PostgreSQL. */
export class SqlStateStore implements StateStore {
  readonly links;
  readonly plans;
  readonly cursors;
  readonly journal;
  readonly leases;
  readonly blobs;
  readonly candidates;
  readonly users;
  readonly tokens;
  readonly sessions;
  private readonly guard = new TransactionGuard();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<StoreTables>,
    private readonly dialect: StoreDialect,
    private readonly now: () => number = Date.now,
    private readonly indexThreads?: IndexThreads,
  ) {
    // Inside a transaction the index works through it: only outside may it use connections of its own.
    const scope = scopeOver(
      standaloneContext(db.withPlugin(this.guard.outsideOnly()), dialect, now),
      indexThreads,
    );
    this.links = scope.links;
    this.plans = scope.plans;
    this.cursors = scope.cursors;
    this.journal = scope.journal;
    this.leases = scope.leases;
    this.blobs = scope.blobs;
    this.candidates = scope.candidates;
    this.users = scope.users;
    this.tokens = scope.tokens;
    this.sessions = scope.sessions;
  }

  transaction<T>(work: (scope: StateScope) => Promise<T>): Promise<T> {
    return this.guard.run(() =>
      this.db
        .transaction()
        .execute((trx) => work(scopeOver(transactionContext(trx, this.dialect, this.now)))),
    );
  }

  async check(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.indexThreads?.close();
      await this.db.destroy();
    })();
    return this.closing;
  }
}
