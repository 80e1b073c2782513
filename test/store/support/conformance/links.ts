import { expect } from 'chai';
import { all, link, person, rejection, type StoreUnderTest } from './store-under-test.js';

export function describeLinks(t: StoreUnderTest): void {
  describe('links', () => {
    it('keeps a link, with its baseline, versions and photo hash, across a restart', async () => {
      const kept = link('c1', 'g1', {
        crmVersion: '7',
        groupwareVersion: 'ck-3',
        photoHash: 'ab'.repeat(32),
      });
      await t.store.links.put(kept);
      await t.restart();
      expect(await t.store.links.get(kept.accountId, { crmId: 'c1' })).to.deep.equal(kept);
      expect(await t.store.links.get(kept.accountId, { groupwareId: 'g1' })).to.deep.equal(kept);
    });

    it('keeps the links of two accounts apart', async () => {
      await t.store.links.put(link('c1', 'g1'));
      await t.store.links.put(link('c1', 'g9', { accountId: 'outlook-graph:anna@firma.de' }));
      expect((await t.store.links.get('vcard-file:/srv/a', { crmId: 'c1' }))?.groupwareId).to.equal('g1');
      expect((await t.store.links.get('outlook-graph:anna@firma.de', { crmId: 'c1' }))?.groupwareId).to.equal(
        'g9',
      );
      expect(await t.store.links.get('outlook-graph:anna@firma.de', { groupwareId: 'g1' })).to.equal(
        undefined,
      );
    });

    it('replaces the link of a CRM contact when it is put again, dropping versions it no longer has', async () => {
      await t.store.links.put(link('c1', 'g1', { crmVersion: '1', photoHash: 'ab'.repeat(32) }));
      await t.store.links.put(link('c1', 'g2', { crmVersion: '2', baseline: person('Neu') }));
      const now = await t.store.links.get('vcard-file:/srv/a', { crmId: 'c1' });
      expect(now).to.deep.equal(link('c1', 'g2', { crmVersion: '2', baseline: person('Neu') }));
      expect(await t.store.links.get('vcard-file:/srv/a', { groupwareId: 'g1' })).to.equal(undefined);
      expect(await t.store.links.count('vcard-file:/srv/a')).to.equal(1);
    });

    it('refuses to link one groupware contact to a second CRM contact of the same account', async () => {
      await t.store.links.put(link('c1', 'g1'));
      const error = await rejection(t.store.links.put(link('c2', 'g1')));
      expect(error.code).to.equal('CRMSYNC_ERR_LINK_CONFLICT');
      expect(error.message).to.contain('g1');
      expect((await t.store.links.get('vcard-file:/srv/a', { groupwareId: 'g1' }))?.crmId).to.equal('c1');
    });

    it('lists and counts every link of an account in CRM-id order, beyond one page', async () => {
      const ids = Array.from({ length: 1203 }, (_, n) => `c${String(n).padStart(5, '0')}`).reverse();
      await t.store.transaction(async (scope) => {
        for (const id of ids) await scope.links.put(link(id, `g-${id}`));
        await scope.links.put(link('c00001', 'other', { accountId: 'another' }));
      });
      const listed = await all(t.store.links.list('vcard-file:/srv/a'));
      expect(listed.map((each) => each.crmId)).to.deep.equal([...ids].sort());
      expect(await t.store.links.count('vcard-file:/srv/a')).to.equal(1203);
      expect(await t.store.links.count('nobody')).to.equal(0);
    });

    it('lists links in the same order on every database: by the code points of their CRM ids', async () => {
      const ids = ['b', 'B', '_x', 'a', 'Ä', '10', '9', 'a b', 'ab'];
      for (const id of ids) await t.store.links.put(link(id, `g-${id}`));
      const listed = (await all(t.store.links.list('vcard-file:/srv/a'))).map((each) => each.crmId);
      expect(listed).to.deep.equal(['10', '9', 'B', '_x', 'a', 'a b', 'ab', 'b', 'Ä']);
    });

    it('forgets a removed link', async () => {
      await t.store.links.put(link('c1', 'g1'));
      await t.store.links.remove('vcard-file:/srv/a', 'c1');
      expect(await t.store.links.get('vcard-file:/srv/a', { groupwareId: 'g1' })).to.equal(undefined);
      expect(await all(t.store.links.list('vcard-file:/srv/a'))).to.deep.equal([]);
    });
  });
}
