import type { Contact } from '../../domain/contact.js';
import type { StageContext } from '../stages.js';

/** What the export stages learn from the groupware's contacts, read once per plan. */
export interface GroupwareListing {
  /** Which groupware contact carries which CRM id (the first one found, when several do). */
  copiesByCrmId: Map<string, string>;
  /** Contacts without a CRM id and without a link, by groupware id: copies made by hand, perhaps. */
  unlinked: Map<string, Contact>;
}

const listings = new WeakMap<StageContext, Promise<GroupwareListing>>();

/**
 * The groupware's contacts as the export stages need them, listed once for the whole plan
 * whichever stage asks first: asking the groupware per CRM contact, or once per stage, would
 * read the whole folder or mailbox again and again.
 */
export function groupwareListingOf(context: StageContext): Promise<GroupwareListing> {
  let listing = listings.get(context);
  if (!listing) {
    listing = listGroupware(context);
    listings.set(context, listing);
  }
  return listing;
}

async function listGroupware(context: StageContext): Promise<GroupwareListing> {
  const listing: GroupwareListing = { copiesByCrmId: new Map(), unlinked: new Map() };
  for await (const fetched of context.groupware!.listContacts()) {
    if (!fetched.ok) continue;
    const contact = fetched.value;
    const { crmId, groupwareId } = contact.ids;
    if (!groupwareId) continue;
    if (crmId) {
      if (!listing.copiesByCrmId.has(crmId)) listing.copiesByCrmId.set(crmId, groupwareId);
    } else if (!(await context.state.links.get(context.plan.accountId, { groupwareId }))) {
      listing.unlinked.set(groupwareId, contact);
    }
  }
  return listing;
}
