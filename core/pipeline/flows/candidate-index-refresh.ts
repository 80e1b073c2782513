import type { CrmConnector } from '../../ports/crm-connector.js';
import type { CandidateIndex, IndexedContact } from '../../store/state-store.js';
import { indexEntry, type NamedRule, rulesFingerprint } from '../dedupe/index.js';

/** Index entries written at once while reading the change feed. */
const upsertChunk = 1_000;

/**
 * Brings the index of CRM contacts up to date from the CRM's change feed: only the changes
 * since the cursor it keeps, or everything again when the rule set changed (its keys no
 * longer fit) or the feed says the cursor expired. The cursor is stored after the entries it
 * covers, so an interrupted refresh reads some changes twice, never loses one.
 */
export async function refreshCandidateIndex(
  index: CandidateIndex,
  crm: CrmConnector,
  rules: readonly NamedRule[],
): Promise<void> {
  const fingerprint = rulesFingerprint(rules);
  const state = await index.getState();
  let cursor = state.rulesFingerprint === fingerprint ? state.cursor : undefined;
  if (cursor === undefined) {
    await index.clear();
    await index.setState({ rulesFingerprint: fingerprint });
  }
  try {
    await readFeed(index, crm, rules, cursor, fingerprint);
  } catch (error) {
    if ((error as { code?: string }).code !== 'CRMSYNC_ERR_CURSOR_EXPIRED' || cursor === undefined)
      throw error;
    cursor = undefined;
    await index.clear();
    await readFeed(index, crm, rules, cursor, fingerprint);
  }
}

async function readFeed(
  index: CandidateIndex,
  crm: CrmConnector,
  rules: readonly NamedRule[],
  cursor: string | undefined,
  fingerprint: string,
): Promise<void> {
  let upserts: IndexedContact[] = [];
  let removals: string[] = [];
  const flush = async () => {
    if (upserts.length) await index.upsert(upserts);
    if (removals.length) await index.remove(removals);
    upserts = [];
    removals = [];
  };
  for await (const fetched of crm.changesSince(cursor)) {
    // A CRM record that cannot be read is left out of the index: it cannot be compared anyway.
    if (!fetched.ok) continue;
    const change = fetched.value;
    if (change.type === 'upserted') {
      if (change.contact.ids.crmId) upserts.push(indexEntry(change.contact, rules));
    } else if (change.type === 'deleted') removals.push(change.id);
    else {
      await flush();
      await index.setState({ cursor: change.cursor, rulesFingerprint: fingerprint });
    }
    if (upserts.length + removals.length >= upsertChunk) await flush();
  }
  await flush();
}
