import type { StateStore } from '../../../core/index.js';
import { memoryStateStore } from './memory-state-store.js';

/** The state store the sync tests run on. */
export async function openTestStore(_file: string): Promise<StateStore> {
  return memoryStateStore();
}
