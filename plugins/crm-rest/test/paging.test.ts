import { expect } from 'chai';
import type { Contact, Fetched } from '../../../core/index.js';
import { collect } from './support/connector-suite.js';
import type { CrmHarness } from './support/harness.js';
import { otherHarness } from './support/other-harness.js';
import { referenceHarness } from './support/reference-harness.js';

function ids(items: Fetched<Contact>[]): string[] {
  return items.flatMap((item) => (item.ok ? [item.value.ids.crmId!] : []));
}

describe('crm-rest paging styles', () => {
  let reference: CrmHarness;
  let other: CrmHarness;
  before(async () => {
    [reference, other] = await Promise.all([referenceHarness(), otherHarness()]);
  });
  after(async () => {
    await Promise.all([reference?.close(), other?.close()]);
  });

  it('follows Link rel="next" headers to the same contacts as cursor paging', async () => {
    const byCursor = ids(await collect(reference.connector.searchContacts()));
    const linked = reference.connectorWith((profile) => {
      profile.paging = { style: 'link', items: '/items', sizeParam: 'limit', size: 17 };
    });
    const before = reference.requests().length;
    const byLink = ids(await collect(linked.searchContacts()));
    expect(byLink).to.deep.equal(byCursor);
    expect(reference.requests().length - before).to.equal(Math.ceil(byCursor.length / 17));
  });

  it('pages by offset and stops at the total the CRM reports', async () => {
    const byPage = ids(await collect(other.connector.searchContacts()));
    const offsetting = other.connectorWith((profile) => {
      profile.paging = {
        style: 'offset',
        items: '/data',
        offsetParam: 'offset',
        sizeParam: 'limit',
        size: 7,
        total: '/meta/total',
      };
    });
    expect(ids(await collect(offsetting.searchContacts()))).to.deep.equal(byPage);
  });

  it('pages by number without a page count, stopping at the first short page', async () => {
    const byCount = ids(await collect(other.connector.searchContacts()));
    const counting = other.connectorWith((profile) => {
      delete profile.paging.totalPages;
      profile.paging.size = 10;
    });
    expect(ids(await collect(counting.searchContacts()))).to.deep.equal(byCount);
  });

  it('stops reading pages when the caller stops early', async () => {
    const before = reference.requests().length;
    for await (const item of reference.connector.searchContacts()) {
      expect(item.ok).to.equal(true);
      break;
    }
    // The first page and at most one page fetched ahead.
    expect(reference.requests().length - before).to.be.at.most(2);
  });
});
