import { randomUUID } from 'node:crypto';
import {
  type Contact,
  type CrmConnector,
  type CrmsyncError,
  errorFromProblem,
  type Photo,
  type WriteOperation,
  type WriteOutcome,
} from '../../../../core/index.js';

/** A fresh idempotency key, as the commit journal would choose one per intended change. */
export function newKey(): string {
  return `test-${randomUUID()}`;
}

/** Applies one operation and answers its one outcome. */
export async function applyOne(connector: CrmConnector, operation: WriteOperation): Promise<WriteOutcome> {
  const outcomes: WriteOutcome[] = [];
  for await (const outcome of connector.apply([operation])) outcomes.push(outcome);
  if (outcomes.length !== 1) throw new Error(`expected one outcome, got ${outcomes.length}`);
  return outcomes[0]!;
}

/** The contact after a successful write; a failed one throws its problem as an error. */
async function contactAfter(connector: CrmConnector, operation: WriteOperation): Promise<Contact> {
  const outcome = await applyOne(connector, operation);
  if (!outcome.ok) throw errorFromProblem(outcome.problem) as CrmsyncError;
  if (!outcome.contact) throw new Error(`the ${operation.kind} outcome carries no contact`);
  return outcome.contact;
}

export function create(connector: CrmConnector, contact: Contact, key = newKey()): Promise<Contact> {
  return contactAfter(connector, { kind: 'create', key, contact });
}

/** Updates the contact based on the version it carries (or the one given). */
export function update(
  connector: CrmConnector,
  contact: Contact,
  expectedVersion = contact.ids.crmVersion as string,
): Promise<Contact> {
  return contactAfter(connector, {
    kind: 'update',
    key: newKey(),
    id: contact.ids.crmId!,
    expectedVersion,
    contact,
  });
}

export async function remove(connector: CrmConnector, id: string, expectedVersion: string): Promise<void> {
  const outcome = await applyOne(connector, { kind: 'delete', key: newKey(), id, expectedVersion });
  if (!outcome.ok) throw errorFromProblem(outcome.problem);
}

export function setPhoto(
  connector: CrmConnector,
  id: string,
  photo: Photo | undefined,
  expectedVersion: string,
): Promise<Contact> {
  return contactAfter(connector, { kind: 'photo', key: newKey(), id, expectedVersion, photo });
}
