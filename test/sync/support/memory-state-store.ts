import { createHash } from 'node:crypto';
import type {
  JournalEntry,
  Link,
  PlanHeader,
  PlanItem,
  PlanPageQuery,
  StateStore,
} from '../../../core/index.js';
import { MemoryCandidateIndex } from '../../../core/pipeline/dedupe/index.js';

type Filter = PlanPageQuery['filter'];

function matches(item: PlanItem, filter: Filter = {}): boolean {
  if (filter.selected !== undefined && item.selected !== filter.selected) return false;
  if (filter.action && item.action !== filter.action) return false;
  if (filter.reason && item.reason !== filter.reason) return false;
  if (filter.verdict && (item.duplicate?.verdict ?? 'none') !== filter.verdict) return false;
  if (filter.outcome && (item.outcome?.state ?? 'none') !== filter.outcome) return false;
  return true;
}

const copy = <T>(value: T): T => structuredClone(value);

/**
 * The state store port kept in memory, for tests of the engine that need no file: it keeps
 * the port's promises (copies in and out, keys intended once) but no transactions.
 */
export function memoryStateStore(): StateStore {
  const links = new Map<string, Link>();
  const plans = new Map<string, PlanHeader>();
  const items = new Map<string, Map<number, PlanItem>>();
  const cursors = new Map<string, string>();
  const journal = new Map<string, JournalEntry>();
  const leases = new Map<string, { holder: string; expiresAt: number }>();
  const blobs = new Map<string, { mediaType: string; bytes: Uint8Array }>();
  const planItems = (planId: string) => {
    const found = items.get(planId);
    if (!found) throw new Error(`no plan ${planId}`);
    return found;
  };
  const sorted = (planId: string, filter?: Filter) =>
    [...planItems(planId).values()].filter((item) => matches(item, filter)).sort((a, b) => a.seq - b.seq);
  const store: StateStore = {
    links: {
      async get(accountId, by) {
        for (const link of links.values())
          if (
            link.accountId === accountId &&
            ('crmId' in by ? link.crmId === by.crmId : link.groupwareId === by.groupwareId)
          )
            return copy(link);
        return undefined;
      },
      async put(link) {
        links.set(`${link.accountId}\n${link.crmId}`, copy(link));
      },
      async remove(accountId, crmId) {
        links.delete(`${accountId}\n${crmId}`);
      },
      async *list(accountId) {
        const mine = [...links.values()].filter((link) => link.accountId === accountId);
        for (const link of mine.sort((a, b) => a.crmId.localeCompare(b.crmId))) yield copy(link);
      },
      async count(accountId) {
        return [...links.values()].filter((link) => link.accountId === accountId).length;
      },
    },
    plans: {
      async create(header) {
        const at = Date.now();
        const created = { ...copy(header), createdAt: at, updatedAt: at };
        plans.set(header.id, created);
        items.set(header.id, new Map());
        return copy(created);
      },
      async get(planId) {
        const plan = plans.get(planId);
        return plan && copy(plan);
      },
      async update(planId, change) {
        const plan = plans.get(planId);
        if (!plan) throw new Error(`no plan ${planId}`);
        if (change.status) plan.status = change.status;
        if (change.summary) plan.summary = { ...plan.summary, ...copy(change.summary) };
        if (change.options) plan.options = { ...plan.options, ...copy(change.options) };
        plan.updatedAt = Date.now();
        return copy(plan);
      },
      async addItems(planId, added) {
        const mine = planItems(planId);
        for (const item of added) mine.set(item.seq, copy(item));
      },
      async getItem(planId, seq) {
        const item = planItems(planId).get(seq);
        return item && copy(item);
      },
      async updateItems(planId, seqs, patch) {
        const mine = planItems(planId);
        for (const seq of seqs) {
          const item = mine.get(seq);
          if (!item) throw new Error(`plan ${planId} has no item ${seq}`);
          Object.assign(item, copy(patch));
        }
      },
      async page(planId, query) {
        const all = sorted(planId, query.filter);
        const offset = query.offset ?? 0;
        return { items: copy(all.slice(offset, offset + (query.limit ?? 50))), total: all.length, offset };
      },
      async *items(planId, filter) {
        for (const item of sorted(planId, filter)) yield copy(item);
      },
      async counts(planId) {
        const counts: Record<string, number> = {};
        const add = (key: string) => {
          counts[key] = (counts[key] ?? 0) + 1;
        };
        for (const item of planItems(planId).values()) {
          add(item.selected ? 'selected' : 'available');
          add(`action:${item.action}`);
          add(`reason:${item.reason}`);
          if (item.duplicate) add(`verdict:${item.duplicate.verdict}`);
          add(`outcome:${item.outcome?.state ?? 'none'}`);
        }
        return counts;
      },
      async list(query) {
        return [...plans.values()]
          .filter(
            (plan) =>
              (!query.kind || plan.kind === query.kind) &&
              (!query.accountId || plan.accountId === query.accountId),
          )
          .sort((a, b) => b.createdAt - a.createdAt)
          .slice(0, query.limit ?? 100)
          .map(copy);
      },
      async remove(planId) {
        plans.delete(planId);
        items.delete(planId);
      },
    },
    cursors: {
      async get(accountId, side) {
        return cursors.get(`${accountId}\n${side}`);
      },
      async put(accountId, side, cursor) {
        cursors.set(`${accountId}\n${side}`, cursor);
      },
      async remove(accountId, side) {
        cursors.delete(`${accountId}\n${side}`);
      },
    },
    journal: {
      async intend(entry) {
        if (journal.has(entry.key)) throw new Error(`journal key ${entry.key} was intended before`);
        journal.set(entry.key, { ...copy(entry), state: 'intent', at: Date.now() });
      },
      async settle(key, state, outcome) {
        const entry = journal.get(key);
        if (!entry) throw new Error(`no journal entry ${key}`);
        entry.state = state;
        if (outcome) entry.outcome = copy(outcome);
      },
      async get(key) {
        const entry = journal.get(key);
        return entry && copy(entry);
      },
      async *entries(planId, filter) {
        for (const entry of journal.values())
          if (entry.planId === planId && (!filter?.state || entry.state === filter.state)) yield copy(entry);
      },
    },
    leases: {
      async acquire(accountId, holder, ttlMs) {
        const lease = leases.get(accountId);
        if (lease && lease.holder !== holder && lease.expiresAt > Date.now()) return false;
        leases.set(accountId, { holder, expiresAt: Date.now() + ttlMs });
        return true;
      },
      async renew(accountId, holder, ttlMs) {
        const lease = leases.get(accountId);
        if (!lease || lease.holder !== holder) return false;
        lease.expiresAt = Date.now() + ttlMs;
        return true;
      },
      async release(accountId, holder) {
        if (leases.get(accountId)?.holder === holder) leases.delete(accountId);
      },
      async holder(accountId) {
        return leases.get(accountId);
      },
    },
    blobs: {
      async put(mediaType, bytes) {
        const hash = createHash('sha256').update(bytes).digest('hex');
        blobs.set(hash, { mediaType, bytes: new Uint8Array(bytes) });
        return hash;
      },
      async get(hash) {
        return blobs.get(hash);
      },
      async collectGarbage() {
        return 0;
      },
    },
    candidates: new MemoryCandidateIndex(),
    async transaction(work) {
      return work(store);
    },
    async close() {},
  };
  return store;
}
