import type { Contact } from '../../domain/contact.js';
import type { ContactJson } from '../../domain/contact-json.js';
import { CrmsyncError } from '../../domain/errors.js';
import type { BlobRepository } from '../../store/state-store.js';
import { contactOf } from '../snapshot.js';

/**
 * A planned contact as commit writes it: the snapshot the plan kept, with its photo's bytes
 * back from the blobs. A photo whose bytes are gone fails the item instead of being dropped
 * silently from the written contact.
 */
export async function plannedContact(
  snapshot: ContactJson,
  blobs: BlobRepository,
  recordId?: string,
): Promise<Contact> {
  const hash = snapshot.photo?.hash;
  if (!hash || snapshot.photo?.url) return contactOf(snapshot);
  return contactOf(snapshot, await storedPhotoBytes(hash, blobs, recordId));
}

/** A planned photo's bytes; gone from the blobs, the write fails rather than drop the photo. */
export async function storedPhotoBytes(
  hash: string,
  blobs: BlobRepository,
  recordId?: string,
): Promise<Uint8Array> {
  const blob = await blobs.get(hash);
  if (!blob)
    throw new CrmsyncError(
      'CRMSYNC_ERR_PHOTO_MISSING',
      `the photo planned for this contact (${hash}) is no longer stored`,
      {
        field: 'photo',
        ...(recordId ? { recordId } : {}),
      },
    );
  return blob.bytes;
}
