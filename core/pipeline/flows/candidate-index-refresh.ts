import type { Fetched } from '../../domain/problem.js';
import type { ContactChange } from '../../ports/contact-change.js';
import type { CrmConnector } from '../../ports/crm-connector.js';
import type { CandidateIndex, IndexedContact } from '../../store/state-store.js';
import { indexEntry, type NamedRule, rulesFingerprint } from '../dedupe/index.js';

/** Index entries written at once while reading the change feed. */
const upsertChunk = 1_000;

/**
 * Brings the index of CRM contacts up to date from the CRM's change feed: only the changes
 * since the cursor it keeps, or everything again when it has none, the rule set changed (its
 * keys no longer fit) or the feed says the cursor expired. The cursor is stored after the
 * entries it covers, so an interrupted refresh reads some changes twice, never loses one.
 */
export async function refreshCandidateIndex(
  index: CandidateIndex,
  crm: CrmConnector,
  rules: readonly NamedRule[],
): Promise<void> {
  const fingerprint = rulesFingerprint(rules);
  const state = await index.getState();
  const cursor = state.rulesFingerprint === fingerprint ? state.cursor : undefined;
  if (cursor === undefined) return rebuild(index, crm, rules, fingerprint);
  try {
    await readChanges(index, crm, rules, cursor, fingerprint);
  } catch (error) {
    if ((error as { code?: string }).code !== 'CRMSYNC_ERR_CURSOR_EXPIRED') throw error;
    await rebuild(index, crm, rules, fingerprint);
  }
}

/**
 * Everything the CRM's feed holds, loaded in one go (the index's fast path for a million
 * contacts). A contact the feed names twice is loaded once, and its later changes are applied
 * after the load, so a feed that is not compacted still leaves each contact as it is now.
 */
async function rebuild(
  index: CandidateIndex,
  crm: CrmConnector,
  rules: readonly NamedRule[],
  fingerprint: string,
): Promise<void> {
  let cursor: string | undefined;
  const loaded = new Set<string>();
  const later: ContactChange[] = [];
  async function* firstSight(feed: AsyncIterable<Fetched<ContactChange>>): AsyncIterable<IndexedContact> {
    for await (const fetched of feed) {
      // A CRM record that cannot be read is left out of the index: it cannot be compared anyway.
      if (!fetched.ok) continue;
      const change = fetched.value;
      if (change.type === 'checkpoint') cursor = change.cursor;
      else if (change.type === 'deleted') {
        if (loaded.has(change.id)) later.push(change);
      } else if (change.contact.ids.crmId) {
        if (loaded.has(change.contact.ids.crmId)) later.push(change);
        else {
          loaded.add(change.contact.ids.crmId);
          yield indexEntry(change.contact, rules);
        }
      }
    }
  }
  await index.rebuild(firstSight(crm.changesSince(undefined)), { rulesFingerprint: fingerprint });
  await applyChanges(index, rules, later);
  if (cursor !== undefined) await index.setState({ cursor, rulesFingerprint: fingerprint });
}

async function readChanges(
  index: CandidateIndex,
  crm: CrmConnector,
  rules: readonly NamedRule[],
  cursor: string,
  fingerprint: string,
): Promise<void> {
  let pending: ContactChange[] = [];
  for await (const fetched of crm.changesSince(cursor)) {
    if (!fetched.ok) continue;
    const change = fetched.value;
    if (change.type === 'checkpoint') {
      await applyChanges(index, rules, pending);
      pending = [];
      await index.setState({ cursor: change.cursor, rulesFingerprint: fingerprint });
    } else {
      pending.push(change);
      if (pending.length >= upsertChunk) {
        await applyChanges(index, rules, pending);
        pending = [];
      }
    }
  }
  await applyChanges(index, rules, pending);
}

/** Changes in feed order; runs of upserts and of removals go to the index together. */
async function applyChanges(
  index: CandidateIndex,
  rules: readonly NamedRule[],
  changes: readonly ContactChange[],
): Promise<void> {
  let upserts: IndexedContact[] = [];
  let removals: string[] = [];
  const flush = async () => {
    if (upserts.length) await index.upsert(upserts);
    if (removals.length) await index.remove(removals);
    upserts = [];
    removals = [];
  };
  for (const change of changes) {
    if (change.type === 'upserted' && change.contact.ids.crmId) {
      if (removals.length) await flush();
      upserts.push(indexEntry(change.contact, rules));
    } else if (change.type === 'deleted') {
      if (upserts.length) await flush();
      removals.push(change.id);
    }
  }
  await flush();
}
