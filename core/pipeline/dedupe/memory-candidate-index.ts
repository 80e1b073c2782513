import type { ContactJson } from '../../domain/contact-json.js';
import type { CandidateIndex, IndexedContact } from '../../store/state-store.js';

/**
 * The candidate index in memory: an inverted index from blocking key to CRM ids. For tests,
 * benchmarks and small installations; it forgets everything when the process ends.
 */
export class MemoryCandidateIndex implements CandidateIndex {
  private readonly entries = new Map<string, IndexedContact>();
  private readonly postings = new Map<string, string[]>();
  private state: { cursor?: string; rulesFingerprint?: string } = {};

  async upsert(contacts: readonly IndexedContact[]): Promise<void> {
    for (const entry of contacts) {
      this.forget(entry.crmId);
      this.entries.set(entry.crmId, entry);
      for (const key of new Set(entry.keys)) {
        const ids = this.postings.get(key);
        if (ids) ids.push(entry.crmId);
        else this.postings.set(key, [entry.crmId]);
      }
    }
  }

  async remove(crmIds: readonly string[]): Promise<void> {
    for (const crmId of crmIds) this.forget(crmId);
  }

  async candidates(
    keySets: readonly (readonly string[])[],
  ): Promise<{ crmId: string; contact: ContactJson; sharedKeys: string[] }[][]> {
    return keySets.map((keys) => {
      const shared = new Map<string, string[]>();
      for (const key of new Set(keys)) {
        for (const crmId of this.postings.get(key) ?? []) {
          const found = shared.get(crmId);
          if (found) found.push(key);
          else shared.set(crmId, [key]);
        }
      }
      return [...shared].map(([crmId, sharedKeys]) => ({
        crmId,
        contact: this.entries.get(crmId)!.contact,
        sharedKeys,
      }));
    });
  }

  async size(): Promise<number> {
    return this.entries.size;
  }

  async clear(): Promise<void> {
    this.entries.clear();
    this.postings.clear();
  }

  async getState(): Promise<{ cursor?: string; rulesFingerprint?: string }> {
    return { ...this.state };
  }

  async setState(state: { cursor?: string; rulesFingerprint?: string }): Promise<void> {
    this.state = { ...state };
  }

  /** Removing from a posting list is linear in its length; blocks stay small by design. */
  private forget(crmId: string): void {
    const old = this.entries.get(crmId);
    if (!old) return;
    this.entries.delete(crmId);
    for (const key of new Set(old.keys)) {
      const ids = this.postings.get(key);
      if (!ids) continue;
      const remaining = ids.filter((id) => id !== crmId);
      if (remaining.length) this.postings.set(key, remaining);
      else this.postings.delete(key);
    }
  }
}
