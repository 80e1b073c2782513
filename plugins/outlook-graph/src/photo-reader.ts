import { type Contact, type Fetched, type Photo, photoHash } from '../../../core/index.js';
import { type ReadAnswer, readInBatches } from './batch-reader.js';
import { fromGraphContact } from './contact-mapping.js';
import { hasPictureProperty } from './crm-id-property.js';
import { headerValue } from './header-value.js';
import type { MailboxChannel } from './mailbox-channel.js';
import type { MailboxPaths } from './mailbox-paths.js';

/** Whether Outlook marks a contact (read with `expandMapped`) as having a photo. */
export function hasPicture(item: Record<string, unknown>): boolean {
  const wanted = hasPictureProperty.toLowerCase();
  const properties = (item.singleValueExtendedProperties ?? []) as { id?: string; value?: string }[];
  return properties.some(
    (property) => property.id?.toLowerCase() === wanted && property.value?.toLowerCase() === 'true',
  );
}

/** A photo from a `photo/$value` answer: bytes inline (base64 inside a batch), none after a 404. */
export function photoFromAnswer(answer: ReadAnswer | undefined): Photo | undefined {
  if (answer?.status !== 200 || answer.body === undefined || answer.body === null) return undefined;
  const bytes =
    typeof answer.body === 'string'
      ? new Uint8Array(Buffer.from(answer.body, 'base64'))
      : (answer.body as Uint8Array);
  const mediaType = headerValue(answer.headers, 'Content-Type') ?? 'image/jpeg';
  return { mediaType: mediaType.split(';')[0]!.trim(), bytes, hash: photoHash(bytes) };
}

/**
 * Contacts as Graph answered them, in the model and each with its photo. Photos cannot be
 * expanded, so they are read on their own, 20 to a batch, and only for the contacts Outlook
 * marks as having one: a listing of contacts without photos costs no request for them.
 */
export async function withPhotos(
  items: readonly Record<string, unknown>[],
  channel: MailboxChannel,
  paths: MailboxPaths,
): Promise<Fetched<Contact>[]> {
  const pictured = items.filter(hasPicture);
  const answers = await readInBatches(
    pictured.map((item) => paths.photo(item.id as string)),
    channel,
  );
  const photos = new Map(pictured.map((item, index) => [item.id as string, photoFromAnswer(answers[index])]));
  return items.map((item) => {
    const fetched = inModel(item, channel);
    const photo = photos.get(item.id as string);
    if (fetched.ok && photo) fetched.value.photo = photo;
    return fetched;
  });
}

/** One contact in the model; one that cannot be read is a problem naming it, and the others go on. */
function inModel(item: Record<string, unknown>, channel: MailboxChannel): Fetched<Contact> {
  try {
    return { ok: true, value: fromGraphContact(item) };
  } catch (error) {
    return {
      ok: false,
      problem: {
        code: 'CRMSYNC_ERR_OUTLOOK_HTTP',
        message: `an Outlook contact cannot be read: ${(error as Error).message}`,
        location: { ...channel.where, recordId: String(item.id) },
      },
    };
  }
}
