import type { Link } from '../../store/state-store.js';
import type { BaselineContact } from '../merge/merge-contact.js';

/**
 * The merge baseline of a link, with the photo both sides had at the last sync: a link keeps
 * that photo's hash beside the baseline (`photoHash`), whoever made it.
 */
export function baselineOf(link: Link): BaselineContact {
  const { photo, ...rest } = link.baseline;
  const hash = link.photoHash ?? photo?.hash;
  const baseline: BaselineContact = {
    ...rest,
    emails: rest.emails ?? [],
    phones: rest.phones ?? [],
  } as BaselineContact;
  baseline.addresses = rest.addresses ?? [];
  baseline.categories = rest.categories ?? [];
  baseline.ids = rest.ids ?? {};
  if (hash) baseline.photo = { mediaType: photo?.mediaType ?? 'application/octet-stream', hash };
  return baseline;
}
