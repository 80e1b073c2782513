import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { emptyContact, type Link, type StateStore } from '../../core/index.js';
import { LinkFinder } from '../../core/pipeline/sync/link-finder.js';
import { openTestStore } from './support/test-store.js';

describe('Finding the links of changed contacts', () => {
  let dir: string;
  let store: StateStore;
  const account = 'vcard-file:/srv/vcards';
  const link = (n: number): Link => ({
    accountId: account,
    crmId: `AP-${n}`,
    groupwareId: `card-${n}.vcf`,
    crmVersion: String(n),
    groupwareVersion: `hash-${n}`,
    baseline: { ...emptyContact(), surname: `Name ${n}` },
    syncedAt: 1,
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crmsync-links-'));
    store = await openTestStore(join(dir, 'state.sqlite'));
    for (let n = 1; n <= 3; n++) await store.links.put(link(n));
    await store.links.put({ ...link(9), accountId: 'vcard-file:/other' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const lookups of [3, 50_000]) {
    it(`finds a link by either id, with its versions and then its baseline (${lookups} lookups)`, async () => {
      const finder = await LinkFinder.open(account, store.links, lookups);
      const byGroupware = await finder.key({ groupwareId: 'card-2.vcf' });
      expect(byGroupware).to.include({ crmId: 'AP-2', crmVersion: '2', groupwareVersion: 'hash-2' });
      expect((await finder.link(byGroupware!))?.baseline.surname).to.equal('Name 2');
      expect(await finder.key({ crmId: 'AP-3' })).to.include({ groupwareId: 'card-3.vcf' });
      expect(await finder.key({ crmId: 'AP-9' }), 'a link of another account').to.equal(undefined);
      expect(await finder.key({ groupwareId: 'card-4.vcf' })).to.equal(undefined);
    });
  }
});
