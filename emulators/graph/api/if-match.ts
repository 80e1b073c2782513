import type { FastifyRequest } from 'fastify';
import type { StoredContact } from '../store/mailbox-store.js';
import { GraphFailure } from './graph-error.js';

/** Refuses a write whose If-Match names another change key than the item's current one. */
export function checkIfMatch(request: FastifyRequest, contact: StoredContact): void {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return;
  const tags = header.split(',').map((tag) =>
    tag
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1'),
  );
  if (tags.includes(contact.changeKey)) return;
  throw new GraphFailure(
    412,
    'ErrorIrresolvableConflict',
    'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
  );
}
