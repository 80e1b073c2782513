import type { AccountId, Link, LinkRepository } from '../../store/state-store.js';

/** What telling an echo from a change needs of a link: its ids and versions, not its baseline. */
export type LinkKey = Pick<Link, 'crmId' | 'groupwareId' | 'crmVersion' | 'groupwareVersion'>;

/** Above this many lookups one pass over the account's links beats a query for each. */
const lookupsWorthAPass = 1_000;

/**
 * Finds the links of changed contacts. A few changes ask the store one by one; a first run's
 * ten thousand read the account's link keys once (ids and versions only, so memory stays
 * small) and fetch a whole link only for a pair that really changed.
 */
export class LinkFinder {
  private constructor(
    private readonly accountId: AccountId,
    private readonly links: LinkRepository,
    private readonly keys?: { byCrm: Map<string, LinkKey>; byGroupware: Map<string, LinkKey> },
  ) {}

  static async open(accountId: AccountId, links: LinkRepository, lookups: number): Promise<LinkFinder> {
    if (lookups <= lookupsWorthAPass) return new LinkFinder(accountId, links);
    const byCrm = new Map<string, LinkKey>();
    const byGroupware = new Map<string, LinkKey>();
    for await (const link of links.list(accountId)) {
      const key: LinkKey = { crmId: link.crmId, groupwareId: link.groupwareId };
      if (link.crmVersion !== undefined) key.crmVersion = link.crmVersion;
      if (link.groupwareVersion !== undefined) key.groupwareVersion = link.groupwareVersion;
      byCrm.set(link.crmId, key);
      byGroupware.set(link.groupwareId, key);
    }
    return new LinkFinder(accountId, links, { byCrm, byGroupware });
  }

  async key(by: { crmId: string } | { groupwareId: string }): Promise<LinkKey | undefined> {
    if (!this.keys) return this.links.get(this.accountId, by);
    return 'crmId' in by ? this.keys.byCrm.get(by.crmId) : this.keys.byGroupware.get(by.groupwareId);
  }

  /** The whole link (with its baseline) of a key this finder gave. */
  async link(key: LinkKey): Promise<Link | undefined> {
    if ('baseline' in key) return key as Link;
    return this.links.get(this.accountId, { crmId: key.crmId });
  }
}
