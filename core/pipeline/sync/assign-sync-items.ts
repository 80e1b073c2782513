import type { Contact } from '../../domain/contact.js';
import type { ContactJson } from '../../domain/contact-json.js';
import type { Link } from '../../store/state-store.js';
import { mergeContact } from '../merge/merge-contact.js';
import type { PlanItem, PlanReason } from '../plan.js';
import { baselineOf } from './link-baseline.js';
import type { LinkedChange, SideChange } from './pair-changes.js';
import type { SyncSettings, SyncTargets } from './sync-targets.js';

/** A sync item before it is stored: the contacts it was made from, photo bytes included. */
export interface DraftSyncItem {
  item: Omit<PlanItem, 'seq'>;
  crm?: Contact;
  groupware?: Contact;
  /** The sides that lose a linked contact by this item, for the deletion guard. */
  removes?: ('crm' | 'groupware')[];
}

/**
 * Assign: what becomes of one linked pair. The CRM never loses data by a sync: a copy deleted
 * in the groupware unlinks it and turns its sync flag off (S2); a CRM contact deleted or no
 * longer synced loses its groupware copy; a pair both sides still have is merged.
 */
export async function assignLinked(
  change: LinkedChange,
  targets: SyncTargets,
  settings: SyncSettings,
): Promise<DraftSyncItem> {
  const { link } = change;
  const base = { crmId: link.crmId, groupwareId: link.groupwareId, selected: true };
  const crm = await current(change.crm, () => targets.crm.getContact(link.crmId));
  const crmGone = crm === undefined;
  if (crmGone || crm.groupwareSync === false) {
    const groupware = await current(change.groupware, () => targets.groupware.getContact(link.groupwareId));
    return {
      item: {
        ...base,
        action: groupware ? 'delete' : 'unlink',
        reason: 'sync-turned-off',
      },
      ...(crm ? { crm } : {}),
      ...(groupware ? { groupware } : {}),
      removes: crmGone ? ['crm', 'groupware'] : ['groupware'],
    };
  }
  const groupware = await current(change.groupware, () => targets.groupware.getContact(link.groupwareId));
  if (!groupware) {
    return {
      item: { ...base, action: 'unlink', reason: 'deleted-in-groupware' },
      crm,
      removes: ['groupware'],
    };
  }
  const crmSide = await withKnownPhoto(crm, change.crm, link, targets);
  const baseline = baselineOf(link);
  const merge = mergeContact({
    baseline,
    crm: crmSide,
    groupware,
    support: { crm: targets.crm.fieldSupport, groupware: targets.groupware.fieldSupport },
    policy: settings.policy,
  });
  const writes = Object.keys(merge.toCrm).length + Object.keys(merge.toGroupware).length > 0;
  const reason: PlanReason =
    merge.conflicts.length > 0
      ? 'conflict'
      : writes
        ? 'changed'
        : merge.cannotHold.length > 0
          ? 'cannot-hold'
          : 'unchanged';
  const item: DraftSyncItem['item'] = {
    ...base,
    action: writes ? 'update' : 'skip',
    reason,
    changes: {
      toCrm: merge.toCrm,
      toGroupware: merge.toGroupware,
      conflicts: merge.conflicts,
      baseline: baseline as ContactJson,
    },
  };
  return { item, crm: crmSide, groupware };
}

/** A CRM contact with no link whose sync flag is on: its groupware copy is to be made (S2). */
export async function assignAdded(contact: Contact, targets: SyncTargets): Promise<DraftSyncItem> {
  let crm = contact;
  if (!crm.photo && targets.crm.capabilities.photos) {
    const photo = await targets.crm.getPhoto(contact.ids.crmId!);
    if (photo) crm = { ...crm, photo };
  }
  return {
    item: { crmId: contact.ids.crmId!, selected: true, action: 'create', reason: 'sync-turned-on' },
    crm,
  };
}

async function current(
  change: SideChange,
  read: () => Promise<Contact | undefined>,
): Promise<Contact | undefined> {
  if (change?.kind === 'deleted') return undefined;
  if (change?.kind === 'upserted') return change.contact;
  return read();
}

/**
 * The CRM's change feed carries no photo bytes. A CRM contact whose version is the one last
 * synced still has the photo both sides agreed on; a changed one is asked for its photo, so
 * a photo added, replaced or removed in the CRM is noticed by its hash.
 */
async function withKnownPhoto(
  crm: Contact,
  change: SideChange,
  link: Link,
  targets: SyncTargets,
): Promise<Contact> {
  if (crm.photo || !targets.crm.capabilities.photos) return crm;
  const unchanged = change === undefined || crm.ids.crmVersion === link.crmVersion;
  if (unchanged) {
    const photo = baselineOf(link).photo;
    return photo ? { ...crm, photo } : crm;
  }
  const photo = await targets.crm.getPhoto(link.crmId);
  return photo ? { ...crm, photo } : crm;
}
