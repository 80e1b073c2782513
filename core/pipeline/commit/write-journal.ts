import type { Contact, Photo } from '../../domain/contact.js';
import { problemFromError } from '../../domain/errors.js';
import { photoHash } from '../../domain/photo-hash.js';
import type { RecordProblem } from '../../domain/problem.js';
import type { ContactStore } from '../../ports/contact-store.js';
import type { WriteOperation } from '../../ports/write-operation.js';
import type { BlobRepository, JournalEntry, Side } from '../../store/state-store.js';
import { snapshotOf } from '../snapshot.js';
import type { StepResult } from './commit-step.js';

/**
 * What an interrupted write did, judged from the target: a create is found by the stamp it
 * leaves; an update or photo write happened when the record's version moved on from the one
 * it was based on; a delete happened when the record is gone. Undefined: write it again.
 */
export async function recoveredWrite(
  store: ContactStore,
  operation: WriteOperation,
  side: Side,
): Promise<StepResult | undefined> {
  if (operation.kind === 'create') {
    const created = await store.findCreated(operation);
    return created ? resultOf(side, created) : undefined;
  }
  return recoveredChange(store, operation, side);
}

/** A write to a record that exists, as the journal knows it: enough to judge whether it happened. */
export interface RecordChange {
  kind: 'update' | 'photo' | 'delete';
  id: string;
  expectedVersion: string;
}

/** `recoveredWrite` for an update, photo write or delete: judged by the record's version alone. */
export async function recoveredChange(
  store: ContactStore,
  change: RecordChange,
  side: Side,
): Promise<StepResult | undefined> {
  const current = await store.getContact(change.id);
  if (change.kind === 'delete') return current ? undefined : { side, id: change.id };
  if (!current) return undefined;
  const version = side === 'crm' ? current.ids.crmVersion : current.ids.groupwareVersion;
  return version !== undefined && version !== change.expectedVersion ? resultOf(side, current) : undefined;
}

export function resultOf(side: Side, contact: Contact): StepResult {
  const id = side === 'crm' ? contact.ids.crmId : contact.ids.groupwareId;
  const version = side === 'crm' ? contact.ids.crmVersion : contact.ids.groupwareVersion;
  const result: StepResult = { side, contact: snapshotOf(contact) };
  if (id !== undefined) result.id = id;
  if (version !== undefined) result.version = version;
  return result;
}

/**
 * The record as it was before an update, delete or photo write, for the journal and an
 * undo; its photo goes to the blobs. A record that cannot be read is the item's problem.
 */
export async function beforeImage(
  store: ContactStore,
  operation: WriteOperation,
  blobs: BlobRepository,
): Promise<Pick<JournalEntry, 'before' | 'beforePhotoHash'> | { problem: RecordProblem }> {
  if (operation.kind === 'create') return {};
  let current: Contact | undefined;
  try {
    current = await store.getContact(operation.id);
  } catch (error) {
    return { problem: problemFromError(error, { recordId: operation.id }) };
  }
  if (!current) {
    if (operation.kind === 'delete') return {};
    return {
      problem: {
        code: 'CRMSYNC_ERR_NOT_FOUND',
        message: `the contact to ${operation.kind === 'photo' ? 'give a photo' : 'update'} is gone`,
        location: { recordId: operation.id },
      },
    };
  }
  const before: Pick<JournalEntry, 'before' | 'beforePhotoHash'> = { before: snapshotOf(current) };
  if (current.photo?.bytes)
    before.beforePhotoHash = await blobs.put(current.photo.mediaType, current.photo.bytes);
  else if (current.photo?.hash) before.beforePhotoHash = current.photo.hash;
  return before;
}

/** The operation as the journal keeps it: without photo bytes, enough to tell what was meant. */
export function intentOf(operation: WriteOperation): Record<string, unknown> {
  switch (operation.kind) {
    case 'create':
      return { kind: 'create', contact: snapshotOf(operation.contact) };
    case 'update':
      return {
        kind: 'update',
        id: operation.id,
        expectedVersion: operation.expectedVersion,
        contact: snapshotOf(operation.contact),
      };
    case 'delete':
      return { kind: 'delete', id: operation.id, expectedVersion: operation.expectedVersion };
    case 'photo':
      return {
        kind: 'photo',
        id: operation.id,
        expectedVersion: operation.expectedVersion,
        photo: operation.photo
          ? { mediaType: operation.photo.mediaType, hash: hashOf(operation.photo) }
          : null,
      };
  }
}

function hashOf(photo: Photo): string | undefined {
  return photo.hash ?? (photo.bytes ? photoHash(photo.bytes) : undefined);
}
