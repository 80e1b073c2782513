import type { Contact } from '../domain/contact.js';

/**
 * A change seen on one side since a cursor. `checkpoint` items say where to resume: a
 * consumer that stores the last checkpoint it processed never sees a change twice.
 */
export type ContactChange =
  | { type: 'upserted'; contact: Contact }
  | { type: 'deleted'; id: string }
  | { type: 'checkpoint'; cursor: string };
