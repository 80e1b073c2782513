import type { Contact } from '../../domain/contact.js';
import type { AccountId, Link, LinkRepository } from '../../store/state-store.js';
import type { ChangeSet } from './change-set.js';

/** One side of a linked pair as the run found it: changed, deleted, or not reported. */
export type SideChange = { kind: 'upserted'; contact: Contact } | { kind: 'deleted' } | undefined;

export interface LinkedChange {
  link: Link;
  crm: SideChange;
  groupware: SideChange;
}

export interface PairedChanges {
  /** Linked contacts changed on at least one side, by CRM id, in the order first seen. */
  linked: Map<string, LinkedChange>;
  /** CRM contacts with no link that ask to be synced (S2 "add to groupware"). */
  toAdd: Contact[];
  /** Changes that are not sync's business: contacts nobody linked (export's and import's). */
  unlinked: number;
  /** Reports of a side's own version that the last sync wrote or saw: nothing new. */
  echoes: number;
}

/**
 * Match: pairs each change with its link. A change whose version is the one the link
 * recorded is the echo of the last sync's own write (or a report seen before) and is
 * dropped here, so a sync after a sync reads its changes and writes nothing.
 */
export async function pairChanges(
  accountId: AccountId,
  links: LinkRepository,
  changes: { crm: ChangeSet; groupware: ChangeSet },
): Promise<PairedChanges> {
  const paired: PairedChanges = { linked: new Map(), toAdd: [], unlinked: 0, echoes: 0 };
  const entry = (link: Link): LinkedChange => {
    let found = paired.linked.get(link.crmId);
    if (!found) {
      found = { link, crm: undefined, groupware: undefined };
      paired.linked.set(link.crmId, found);
    }
    return found;
  };

  for (const [crmId, contact] of changes.crm.upserted) {
    const link = await links.get(accountId, { crmId });
    if (!link) {
      if (contact.groupwareSync === true) paired.toAdd.push(contact);
      else paired.unlinked += 1;
      continue;
    }
    if (link.crmVersion !== undefined && contact.ids.crmVersion === link.crmVersion) {
      paired.echoes += 1;
      continue;
    }
    entry(link).crm = { kind: 'upserted', contact };
  }
  for (const crmId of changes.crm.deleted) {
    const link = await links.get(accountId, { crmId });
    if (link) entry(link).crm = { kind: 'deleted' };
    else paired.unlinked += 1;
  }
  for (const [groupwareId, contact] of changes.groupware.upserted) {
    const link = await links.get(accountId, { groupwareId });
    if (!link) {
      paired.unlinked += 1;
      continue;
    }
    if (link.groupwareVersion !== undefined && contact.ids.groupwareVersion === link.groupwareVersion) {
      paired.echoes += 1;
      continue;
    }
    entry(link).groupware = { kind: 'upserted', contact };
  }
  for (const groupwareId of changes.groupware.deleted) {
    const link = await links.get(accountId, { groupwareId });
    if (link) entry(link).groupware = { kind: 'deleted' };
    else paired.unlinked += 1;
  }
  await missingFromCompleteReads(accountId, links, changes, entry);
  return paired;
}

/**
 * A complete read names every contact a side has, so a linked contact it does not name was
 * deleted there (while no cursor told of it). A read with records it could not make out is
 * not taken as complete: the unreadable ones may be the missing ones.
 */
async function missingFromCompleteReads(
  accountId: AccountId,
  links: LinkRepository,
  changes: { crm: ChangeSet; groupware: ChangeSet },
  entry: (link: Link) => LinkedChange,
): Promise<void> {
  const crm = changes.crm.complete && changes.crm.problems.length === 0;
  const groupware = changes.groupware.complete && changes.groupware.problems.length === 0;
  if (!crm && !groupware) return;
  for await (const link of links.list(accountId)) {
    if (crm && !changes.crm.upserted.has(link.crmId)) entry(link).crm = { kind: 'deleted' };
    if (groupware && !changes.groupware.upserted.has(link.groupwareId))
      entry(link).groupware = { kind: 'deleted' };
  }
}
