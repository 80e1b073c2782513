import { expect } from 'chai';
import type { Contact, ContactChange, Fetched, GroupwareConnector } from '../../core/index.js';

/** A groupware connector with two accounts, built by its plugin from a configuration naming both. */
export interface AccountsSubject {
  connector: GroupwareConnector;
  /** A contact the connector accepts for a create, named with `surname` and stamped with a CRM id of its own. */
  newContact(surname: string): Contact;
  close(): Promise<void>;
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const list: T[] = [];
  for await (const item of items) list.push(item);
  return list;
}

const upserted = (items: Fetched<ContactChange>[]) =>
  items.flatMap((item) => (item.ok && item.value.type === 'upserted' ? [item.value.contact.surname] : []));

/**
 * What the engine relies on from a groupware connector of several accounts (mailboxes,
 * folders): each account is a store of its own, so links, cursors and leases kept by account
 * never mix. Every groupware plugin runs it with two accounts configured.
 */
export function describeGroupwareAccountsConformance(
  title: string,
  open: () => Promise<AccountsSubject>,
): void {
  describe(`${title} with two accounts (conformance)`, () => {
    let subject: AccountsSubject;
    before(async () => {
      subject = await open();
    });
    after(async () => subject?.close());

    it('is the first of its accounts, and every account answers the same list, each with a key of its own', () => {
      const accounts = subject.connector.accounts();
      expect(accounts).to.have.length(2);
      expect(accounts[0]).to.equal(subject.connector);
      for (const account of accounts) expect(account.accounts()).to.deep.equal(accounts);
      expect(new Set(accounts.map((account) => account.accountKey)).size).to.equal(2);
    });

    it('keeps what is written to one account out of the other: listing, lookup by CRM id and change feed', async () => {
      const [first, second] = subject.connector.accounts();
      for (const account of [first!, second!]) expect((await account.health()).ok).to.equal(true);
      const contact = subject.newContact('NurImZweiten');
      const outcomes = await all(second!.apply([{ kind: 'create', key: 'accounts-conformance', contact }]));
      expect(outcomes.map((outcome) => outcome.ok)).to.deep.equal([true]);

      expect((await second!.findByCrmId(contact.ids.crmId!))?.surname).to.equal('NurImZweiten');
      expect(await first!.findByCrmId(contact.ids.crmId!)).to.equal(undefined);
      const listed = await all(first!.listContacts());
      expect(listed.flatMap((item) => (item.ok ? [item.value.surname] : []))).to.not.include('NurImZweiten');
      expect(upserted(await all(first!.changesSince()))).to.not.include('NurImZweiten');
      expect(upserted(await all(second!.changesSince()))).to.include('NurImZweiten');
    });
  });
}
