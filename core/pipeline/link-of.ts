import type { ContactJson } from '../domain/contact-json.js';
import type { Link } from '../store/state-store.js';

/**
 * A link as a commit records it, synced now: versions and photo hash only where a side gave
 * one, so an absent version never reads as a version that matches nothing.
 */
export function linkOf(parts: {
  accountId: string;
  crmId: string;
  groupwareId: string;
  baseline: ContactJson;
  crmVersion?: string | undefined;
  groupwareVersion?: string | undefined;
  photoHash?: string | undefined;
}): Link {
  const link: Link = {
    accountId: parts.accountId,
    crmId: parts.crmId,
    groupwareId: parts.groupwareId,
    baseline: parts.baseline,
    syncedAt: Date.now(),
  };
  if (parts.crmVersion) link.crmVersion = parts.crmVersion;
  if (parts.groupwareVersion) link.groupwareVersion = parts.groupwareVersion;
  if (parts.photoHash) link.photoHash = parts.photoHash;
  return link;
}
