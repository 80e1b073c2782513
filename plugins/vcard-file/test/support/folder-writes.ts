import {
  type Contact,
  errorFromProblem,
  type GroupwareConnector,
  type WriteOperation,
  type WriteOutcome,
} from '../../../../core/index.js';
import { collect } from './contacts.js';

let keys = 0;

/** Applies one operation and returns its outcome. */
export async function applyOne(
  connector: GroupwareConnector,
  operation: WriteOperation,
): Promise<WriteOutcome> {
  const [outcome, ...more] = await collect(connector.apply([operation]));
  if (!outcome || more.length > 0) throw new Error('apply did not answer with exactly one outcome');
  return outcome;
}

/** Applies one operation; a failed one throws its problem as an error. */
async function succeed(
  connector: GroupwareConnector,
  operation: WriteOperation,
): Promise<Contact | undefined> {
  const outcome = await applyOne(connector, operation);
  if (!outcome.ok) throw errorFromProblem(outcome.problem);
  return outcome.contact;
}

export async function createContact(connector: GroupwareConnector, contact: Contact): Promise<Contact> {
  return (await succeed(connector, { kind: 'create', key: `k${++keys}`, contact })) as Contact;
}

/** Updates the contact the given one was read as, based on the version it was read in. */
export async function updateContact(connector: GroupwareConnector, contact: Contact): Promise<Contact> {
  return (await succeed(connector, {
    kind: 'update',
    key: `k${++keys}`,
    id: contact.ids.groupwareId as string,
    expectedVersion: contact.ids.groupwareVersion as string,
    contact,
  })) as Contact;
}

export async function deleteContact(
  connector: GroupwareConnector,
  id: string,
  expectedVersion: string,
): Promise<void> {
  await succeed(connector, { kind: 'delete', key: `k${++keys}`, id, expectedVersion });
}
