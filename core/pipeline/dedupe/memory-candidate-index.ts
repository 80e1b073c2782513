import type { ContactJson } from '../../domain/contact-json.js';
import type {
  CandidateEntry,
  CandidateIndex,
  IndexedContact,
  RuleScreen,
  ScreenedPair,
  ScreenQuery,
} from '../../store/state-store.js';
import { KeyTable } from './key-table.js';
import { screenHere } from './screen-pairs.js';

const noProfiles: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The candidate index in memory, for tests, benchmarks and small installations; it forgets
 * everything when the process ends. Contacts get ordinals; a replaced or removed contact's
 * ordinal is retired and skipped, so a change never rewrites the key table.
 */
export class MemoryCandidateIndex implements CandidateIndex {
  private readonly table = new KeyTable();
  private readonly ordinalOf = new Map<string, number>();
  private crmIds: (string | undefined)[] = [];
  private indexed: (ContactJson | undefined)[] = [];
  private profiles: (Readonly<Record<string, unknown>> | undefined)[] = [];
  private state: { cursor?: string; rulesFingerprint?: string } = {};
  /** Per ordinal, the query that last met it and where its candidate sits in that answer. */
  private seenBy = new Int32Array(0);
  private seenAt = new Int32Array(0);
  private queries = 0;

  async upsert(contacts: readonly IndexedContact[]): Promise<void> {
    for (const entry of contacts) {
      this.retire(entry.crmId);
      const ordinal = this.crmIds.length;
      this.crmIds.push(entry.crmId);
      this.indexed.push(entry.contact);
      this.profiles.push(entry.profiles);
      this.ordinalOf.set(entry.crmId, ordinal);
      const { keys } = entry;
      // A key given twice is filed once; `indexEntry` never repeats one, so this rarely looks far.
      for (let at = 0; at < keys.length; at++)
        if (keys.indexOf(keys[at]!) === at) this.table.add(keys[at]!, ordinal);
    }
  }

  async remove(crmIds: readonly string[]): Promise<void> {
    for (const crmId of crmIds) this.retire(crmId);
  }

  screen(queries: readonly ScreenQuery[], rules: readonly RuleScreen[]): Promise<ScreenedPair[][]> {
    return screenHere(this, queries, rules);
  }

  async candidates(keySets: readonly (readonly string[])[]): Promise<CandidateEntry[][]> {
    if (this.seenBy.length < this.crmIds.length) {
      this.seenBy = new Int32Array(Math.max(1024, this.crmIds.length * 2));
      this.seenAt = new Int32Array(this.seenBy.length);
      this.queries = 0;
    }
    return keySets.map((keys) => {
      const query = ++this.queries;
      const found: CandidateEntry[] = [];
      for (const key of new Set(keys)) {
        for (let posting = this.table.first(key); posting !== -1; posting = this.table.next(posting)) {
          const ordinal = this.table.ordinal(posting);
          if (!this.indexed[ordinal]) continue;
          if (this.seenBy[ordinal] === query) {
            found[this.seenAt[ordinal]!]!.sharedKeys.push(key);
            continue;
          }
          this.seenBy[ordinal] = query;
          this.seenAt[ordinal] = found.length;
          found.push({
            crmId: this.crmIds[ordinal]!,
            profiles: this.profiles[ordinal] ?? noProfiles,
            sharedKeys: [key],
          });
        }
      }
      return found;
    });
  }

  async contacts(crmIds: readonly string[]): Promise<Map<string, ContactJson>> {
    const found = new Map<string, ContactJson>();
    for (const crmId of crmIds) {
      const ordinal = this.ordinalOf.get(crmId);
      if (ordinal !== undefined) found.set(crmId, this.indexed[ordinal]!);
    }
    return found;
  }

  async size(): Promise<number> {
    return this.ordinalOf.size;
  }

  /** An empty index is current to no cursor: the state goes with it. */
  async clear(): Promise<void> {
    this.state = {};
    this.table.clear();
    this.ordinalOf.clear();
    this.crmIds = [];
    this.indexed = [];
    this.profiles = [];
  }

  async rebuild(
    contacts: AsyncIterable<IndexedContact> | Iterable<IndexedContact>,
    state: { cursor?: string; rulesFingerprint?: string },
  ): Promise<number> {
    await this.clear();
    let indexed = 0;
    let batch: IndexedContact[] = [];
    for await (const contact of contacts) {
      batch.push(contact);
      if (batch.length === 10_000) {
        await this.upsert(batch);
        indexed += batch.length;
        batch = [];
      }
    }
    await this.upsert(batch);
    this.state = { ...state };
    return indexed + batch.length;
  }

  async getState(): Promise<{ cursor?: string; rulesFingerprint?: string }> {
    return { ...this.state };
  }

  async setState(state: { cursor?: string; rulesFingerprint?: string }): Promise<void> {
    this.state = { ...state };
  }

  private retire(crmId: string): void {
    const ordinal = this.ordinalOf.get(crmId);
    if (ordinal === undefined) return;
    this.ordinalOf.delete(crmId);
    this.crmIds[ordinal] = undefined;
    this.indexed[ordinal] = undefined;
    this.profiles[ordinal] = undefined;
  }
}
