import type { Contact } from '../../domain/contact.js';
import type { AccountId, Link, LinkRepository } from '../../store/state-store.js';
import type { ChangeSet } from './change-set.js';
import { LinkFinder, type LinkKey } from './link-finder.js';

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
  const lookups =
    changes.crm.upserted.size +
    changes.crm.deleted.size +
    changes.groupware.upserted.size +
    changes.groupware.deleted.size;
  const finder = await LinkFinder.open(accountId, links, lookups);
  const entry = async (key: LinkKey): Promise<LinkedChange | undefined> => {
    let found = paired.linked.get(key.crmId);
    if (!found) {
      const link = await finder.link(key);
      if (!link) return undefined;
      found = { link, crm: undefined, groupware: undefined };
      paired.linked.set(key.crmId, found);
    }
    return found;
  };
  const mark = async (key: LinkKey, side: 'crm' | 'groupware', change: SideChange) => {
    const found = await entry(key);
    if (found) found[side] = change;
  };

  for (const [crmId, contact] of changes.crm.upserted) {
    const key = await finder.key({ crmId });
    if (!key) {
      if (contact.groupwareSync === true) paired.toAdd.push(contact);
      else paired.unlinked += 1;
    } else if (key.crmVersion !== undefined && contact.ids.crmVersion === key.crmVersion) paired.echoes += 1;
    else await mark(key, 'crm', { kind: 'upserted', contact });
  }
  for (const crmId of changes.crm.deleted) {
    const key = await finder.key({ crmId });
    if (key) await mark(key, 'crm', { kind: 'deleted' });
    else paired.unlinked += 1;
  }
  for (const [groupwareId, contact] of changes.groupware.upserted) {
    const key = await finder.key({ groupwareId });
    if (!key) paired.unlinked += 1;
    else if (key.groupwareVersion !== undefined && contact.ids.groupwareVersion === key.groupwareVersion)
      paired.echoes += 1;
    else await mark(key, 'groupware', { kind: 'upserted', contact });
  }
  for (const groupwareId of changes.groupware.deleted) {
    const key = await finder.key({ groupwareId });
    if (key) await mark(key, 'groupware', { kind: 'deleted' });
    else paired.unlinked += 1;
  }
  await missingFromCompleteReads(accountId, links, changes, mark);
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
  mark: (key: LinkKey, side: 'crm' | 'groupware', change: SideChange) => Promise<void>,
): Promise<void> {
  const crm = changes.crm.complete && changes.crm.problems.length === 0;
  const groupware = changes.groupware.complete && changes.groupware.problems.length === 0;
  if (!crm && !groupware) return;
  for await (const link of links.list(accountId)) {
    if (crm && !changes.crm.upserted.has(link.crmId)) await mark(link, 'crm', { kind: 'deleted' });
    if (groupware && !changes.groupware.upserted.has(link.groupwareId))
      await mark(link, 'groupware', { kind: 'deleted' });
  }
}
