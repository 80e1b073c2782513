import { openStateStore, type StateStore } from '../../../core/index.js';

/** The embedded SQLite state store in a file of the test's temporary folder. */
export function openTestStore(file: string): Promise<StateStore> {
  return openStateStore({ kind: 'sqlite', file });
}
