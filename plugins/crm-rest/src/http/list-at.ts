import { CrmsyncError } from '../../../../core/index.js';
import { getAt } from '../mapping/json-pointer.js';

/**
 * The list of records a CRM answer holds at a pointer. An answer without one means the
 * profile points at the wrong place, or the CRM answered something else: say which.
 */
export function listAt(body: unknown, pointer: string, what: string, endpoint: string): unknown[] {
  const items = getAt(body, pointer);
  if (!Array.isArray(items)) {
    throw new CrmsyncError('CRMSYNC_ERR_CRM_RESPONSE', `${what} holds no list at ${pointer || '/'}`, {
      endpoint,
      pointer,
    });
  }
  return items;
}
