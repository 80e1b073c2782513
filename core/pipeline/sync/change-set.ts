import type { Contact } from '../../domain/contact.js';
import type { CrmsyncError } from '../../domain/errors.js';
import type { RecordProblem } from '../../domain/problem.js';
import type { ContactStore } from '../../ports/contact-store.js';

/** What one side reports changed since its cursor, read to its checkpoint. */
export interface ChangeSet {
  upserted: Map<string, Contact>;
  deleted: Set<string>;
  /** Records that could not be read: reported, and the rest of the run goes on. */
  problems: RecordProblem[];
  /** Where the next run resumes; absent when the feed ended without one. */
  cursor?: string;
  /** Changes read, for the run's figures. */
  read: number;
  /**
   * Read without a cursor: every contact of the side, but no deletions. A linked contact
   * missing from a complete read is gone from that side.
   */
  complete: boolean;
}

/**
 * Reads a side's changes since `cursor` (everything without one). The last report of a
 * record wins. A store that is missing or unreachable throws, and so fails the run, before
 * any of its contacts could be taken as deleted.
 */
export async function readChanges(
  store: ContactStore,
  cursor: string | undefined,
  idOf: (contact: Contact) => string | undefined,
): Promise<ChangeSet> {
  const changes: ChangeSet = {
    upserted: new Map(),
    deleted: new Set(),
    problems: [],
    read: 0,
    complete: cursor === undefined,
  };
  for await (const fetched of store.changesSince(cursor)) {
    if (!fetched.ok) {
      changes.problems.push(fetched.problem);
      continue;
    }
    const change = fetched.value;
    if (change.type === 'checkpoint') {
      changes.cursor = change.cursor;
      continue;
    }
    changes.read += 1;
    if (change.type === 'deleted') {
      changes.upserted.delete(change.id);
      changes.deleted.add(change.id);
      continue;
    }
    const id = idOf(change.contact);
    if (!id) continue;
    changes.deleted.delete(id);
    changes.upserted.set(id, change.contact);
  }
  return changes;
}

/**
 * The side's changes since `cursor`; a cursor the side no longer knows (expired, or of a
 * database that was reset) is a full read instead, whose missing contacts count as deleted.
 */
export async function readChangesOrAll(
  store: ContactStore,
  cursor: string | undefined,
  idOf: (contact: Contact) => string | undefined,
): Promise<ChangeSet> {
  try {
    return await readChanges(store, cursor, idOf);
  } catch (error) {
    if (cursor === undefined || (error as CrmsyncError).code !== 'CRMSYNC_ERR_CURSOR_EXPIRED') throw error;
    return readChanges(store, undefined, idOf);
  }
}
