import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { CrmsyncError } from '../../domain/errors.js';
import type {
  PlanHeader,
  PlanItem,
  PlanItemPatch,
  PlanPage,
  PlanPageQuery,
  PlanStatus,
} from '../../pipeline/plan.js';
import type { StoreTables } from '../schema.js';
import type { AccountId, PlanRepository } from '../state-store.js';
import { chunks, MAX_PARAMETERS, PAGE_SIZE, type StoreContext, toJson } from '../store-context.js';
import { isForeignKeyViolation, isUniqueViolation } from '../store-errors.js';
import { headerFromRow, itemFromRow, rowFromHeader, rowFromItem } from './plan-rows.js';

type ItemFilter = NonNullable<PlanPageQuery['filter']>;

const DEFAULT_PAGE_LIMIT = 50;
const DEFAULT_LIST_LIMIT = 100;
const ITEM_COLUMNS = 10;

export class SqlPlanRepository implements PlanRepository {
  constructor(private readonly context: StoreContext) {}

  async create(header: Omit<PlanHeader, 'createdAt' | 'updatedAt'>): Promise<PlanHeader> {
    const now = this.context.now();
    const created: PlanHeader = { ...header, createdAt: now, updatedAt: now };
    try {
      await this.context.db.insertInto('plans').values(rowFromHeader(created)).execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new CrmsyncError('CRMSYNC_ERR_PLAN_EXISTS', `a plan with id ${header.id} already exists`, {
        recordId: header.id,
      });
    }
    return created;
  }

  async get(planId: string): Promise<PlanHeader | undefined> {
    const row = await this.context.db
      .selectFrom('plans')
      .selectAll()
      .where('id', '=', planId)
      .executeTakeFirst();
    return row && headerFromRow(row);
  }

  update(
    planId: string,
    change: { status?: PlanStatus; summary?: Record<string, unknown>; options?: Record<string, unknown> },
  ): Promise<PlanHeader> {
    return this.context.atomically(async (db) => {
      // Locked until the merged header is written, so two processes merging at once both count.
      // (SQLite transactions hold the write lock from their start; it knows no FOR UPDATE.)
      const row = await db
        .selectFrom('plans')
        .selectAll()
        .where('id', '=', planId)
        .$if(this.context.dialect === 'postgres', (query) => query.forUpdate())
        .executeTakeFirst();
      if (!row) throw planNotFound(planId);
      const header = headerFromRow(row);
      const updated: PlanHeader = {
        ...header,
        status: change.status ?? header.status,
        summary: { ...header.summary, ...change.summary },
        options: { ...header.options, ...change.options },
        // Never earlier than the last change, even when the clock steps back.
        updatedAt: Math.max(this.context.now(), header.updatedAt),
      };
      await db
        .updateTable('plans')
        .set({
          status: updated.status,
          summary: toJson(updated.summary),
          options: toJson(updated.options),
          updated_at: updated.updatedAt,
        })
        .where('id', '=', planId)
        .execute();
      return updated;
    });
  }

  async addItems(planId: string, items: readonly PlanItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.context.atomically(async (db) => {
      for (const batch of chunks(items, Math.floor(MAX_PARAMETERS / ITEM_COLUMNS))) {
        try {
          await db
            .insertInto('plan_items')
            .values(batch.map((item) => rowFromItem(planId, item)))
            .execute();
        } catch (error) {
          if (isForeignKeyViolation(error)) throw planNotFound(planId);
          if (isUniqueViolation(error))
            throw new CrmsyncError(
              'CRMSYNC_ERR_PLAN_ITEM_DUPLICATE',
              `plan ${planId} already has an item at one of positions ${describeSeqs(batch.map((item) => item.seq))}`,
              { recordId: planId },
              { cause: error },
            );
          throw error;
        }
      }
    });
  }

  async getItem(planId: string, seq: number): Promise<PlanItem | undefined> {
    const row = await this.context.db
      .selectFrom('plan_items')
      .select('item')
      .where('plan_id', '=', planId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    return row && itemFromRow(row);
  }

  async updateItems(planId: string, seqs: readonly number[], patch: PlanItemPatch): Promise<void> {
    const wanted = [...new Set(seqs)];
    if (wanted.length === 0) return;
    await this.context.atomically(async (db) => {
      const found: PlanItem[] = [];
      for (const batch of chunks(wanted, MAX_PARAMETERS)) {
        const rows = await db
          .selectFrom('plan_items')
          .select('item')
          .where('plan_id', '=', planId)
          .where('seq', 'in', batch)
          .$if(this.context.dialect === 'postgres', (query) => query.forUpdate())
          .execute();
        found.push(...rows.map(itemFromRow));
      }
      if (found.length < wanted.length) {
        const present = new Set(found.map((item) => item.seq));
        const missing = wanted.filter((seq) => !present.has(seq));
        throw new CrmsyncError(
          'CRMSYNC_ERR_NOT_FOUND',
          `plan ${planId} has no item at position ${describeSeqs(missing)}`,
          { recordId: planId },
        );
      }
      for (const item of found) {
        const { plan_id: _, seq, ...columns } = rowFromItem(planId, { ...item, ...patch, seq: item.seq });
        await db
          .updateTable('plan_items')
          .set(columns)
          .where('plan_id', '=', planId)
          .where('seq', '=', seq)
          .execute();
      }
    });
  }

  async page(planId: string, query: PlanPageQuery): Promise<PlanPage> {
    const offset = Math.max(0, Math.trunc(query.offset ?? 0));
    const limit = Math.max(0, Math.trunc(query.limit ?? DEFAULT_PAGE_LIMIT));
    const filter = query.filter ?? {};
    const matching = this.context.db
      .selectFrom('plan_items')
      .where('plan_id', '=', planId)
      .where((eb) => matches(eb, filter));
    const [rows, count] = await Promise.all([
      matching.select('item').orderBy('seq').limit(limit).offset(offset).execute(),
      matching.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(itemFromRow), total: Number(count.total), offset };
  }

  async *items(planId: string, filter: ItemFilter = {}): AsyncIterable<PlanItem> {
    let after = -1;
    for (;;) {
      const rows = await this.context.db
        .selectFrom('plan_items')
        .select(['seq', 'item'])
        .where('plan_id', '=', planId)
        .where('seq', '>', after)
        .where((eb) => matches(eb, filter))
        .orderBy('seq')
        .limit(PAGE_SIZE)
        .execute();
      for (const row of rows) yield itemFromRow(row);
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  async counts(planId: string): Promise<Record<string, number>> {
    const groups = await this.context.db
      .selectFrom('plan_items')
      .select(['selected', 'action', 'reason', 'verdict', 'outcome_state'])
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('plan_id', '=', planId)
      .groupBy(['selected', 'action', 'reason', 'verdict', 'outcome_state'])
      .execute();
    const counts: Record<string, number> = { total: 0 };
    const add = (key: string, count: number) => {
      counts[key] = (counts[key] ?? 0) + count;
    };
    for (const group of groups) {
      const count = Number(group.count);
      add('total', count);
      add(`selected:${group.selected === 1}`, count);
      add(`action:${group.action}`, count);
      add(`reason:${group.reason}`, count);
      if (group.verdict !== null) add(`verdict:${group.verdict}`, count);
      add(`outcome:${group.outcome_state ?? 'none'}`, count);
    }
    return counts;
  }

  async list(query: {
    kind?: PlanHeader['kind'];
    accountId?: AccountId;
    ownerId?: string;
    limit?: number;
  }): Promise<PlanHeader[]> {
    let select = this.context.db.selectFrom('plans').selectAll();
    if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
    if (query.accountId !== undefined) select = select.where('account_id', '=', query.accountId);
    if (query.ownerId !== undefined) select = select.where('owner_id', '=', query.ownerId);
    const rows = await select
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.max(0, Math.trunc(query.limit ?? DEFAULT_LIST_LIMIT)))
      .execute();
    return rows.map(headerFromRow);
  }

  async remove(planId: string): Promise<void> {
    await this.context.atomically(async (db) => {
      await db.deleteFrom('journal').where('plan_id', '=', planId).execute();
      await db.deleteFrom('plan_items').where('plan_id', '=', planId).execute();
      await db.deleteFrom('plans').where('id', '=', planId).execute();
    });
  }
}

function matches(eb: ExpressionBuilder<StoreTables, 'plan_items'>, filter: ItemFilter): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.selected !== undefined) conditions.push(eb('selected', '=', filter.selected ? 1 : 0));
  if (filter.action !== undefined) conditions.push(eb('action', '=', filter.action));
  if (filter.reason !== undefined) conditions.push(eb('reason', '=', filter.reason));
  if (filter.verdict !== undefined) conditions.push(eb('verdict', '=', filter.verdict));
  if (filter.outcome === 'none') conditions.push(eb('outcome_state', 'is', null));
  else if (filter.outcome !== undefined) conditions.push(eb('outcome_state', '=', filter.outcome));
  return eb.and(conditions);
}

function planNotFound(planId: string): CrmsyncError {
  return new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `there is no plan ${planId}`, { recordId: planId });
}

function describeSeqs(seqs: readonly number[]): string {
  const shown = seqs.slice(0, 10).join(', ');
  return seqs.length > 10 ? `${shown} and ${seqs.length - 10} more` : shown;
}
