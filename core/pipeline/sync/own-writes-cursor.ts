import type { Contact } from '../../domain/contact.js';
import type { ContactStore } from '../../ports/contact-store.js';
import type { Side, StateScope } from '../../store/state-store.js';
import { readChanges } from './change-set.js';

/**
 * The cursor a side can resume from after a commit that wrote to it. The cursor read before
 * the commit lies before the commit's own writes: a copy the commit created and a person then
 * deleted would be missing both there and at the next read, and its deletion never seen. So
 * the side is read once more, and the cursor after that read is kept when everything it
 * reports is the commit's own doing; anything else (a person's change in the meantime) leaves
 * the earlier cursor, and the next run reads it all.
 */
export async function cursorPastOwnWrites(
  state: Pick<StateScope, 'journal'>,
  planId: string,
  side: Side,
  store: ContactStore,
  cursor: string,
): Promise<string | undefined> {
  const written = new Map<string, string | undefined>();
  const deleted = new Set<string>();
  for await (const entry of state.journal.entries(planId, { state: 'done' })) {
    if (entry.side !== side) continue;
    const id = (entry.outcome?.id as string | undefined) ?? entry.targetId;
    if (!id) continue;
    if (entry.operation === 'delete') deleted.add(id);
    else if (entry.operation !== 'link' && entry.operation !== 'unlink')
      written.set(id, entry.outcome?.version as string | undefined);
  }
  if (written.size === 0 && deleted.size === 0) return cursor;
  const idOf = (contact: Contact) => (side === 'crm' ? contact.ids.crmId : contact.ids.groupwareId);
  const versionOf = (contact: Contact) =>
    side === 'crm' ? contact.ids.crmVersion : contact.ids.groupwareVersion;
  let changes: Awaited<ReturnType<typeof readChanges>>;
  try {
    changes = await readChanges(store, cursor, idOf);
  } catch {
    return undefined;
  }
  if (changes.problems.length > 0 || changes.cursor === undefined) return undefined;
  for (const id of changes.deleted) if (!deleted.has(id)) return undefined;
  for (const [id, contact] of changes.upserted) {
    const version = written.get(id);
    if (version === undefined || version !== versionOf(contact)) return undefined;
  }
  return changes.cursor;
}
