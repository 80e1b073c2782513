import { expect } from 'chai';
import { item, link, person, photoA, photoB, type StoreUnderTest, sleep } from './store-under-test.js';

export function describeBlobs(t: StoreUnderTest): void {
  describe('blobs', () => {
    it('stores the same bytes once under their SHA-256 and gives them back with their media type', async () => {
      const first = await t.store.blobs.put('image/jpeg', photoA);
      const second = await t.store.blobs.put('image/jpeg', photoA);
      expect(first)
        .to.equal(second)
        .and.to.match(/^[0-9a-f]{64}$/);
      await t.restart();
      const read = await t.store.blobs.get(first);
      expect(read?.mediaType).to.equal('image/jpeg');
      expect([...read!.bytes]).to.deep.equal([...photoA]);
      expect(await t.store.blobs.get('00'.repeat(32))).to.equal(undefined);
      expect(await t.store.blobs.collectGarbage({ graceMs: 0 }), 'one blob, though put twice').to.equal(1);
    });

    it('collects only the blobs that no link, plan item or journal entry names', async () => {
      const linked = await t.store.blobs.put('image/jpeg', photoA);
      const planned = await t.store.blobs.put('image/png', photoB);
      const journalled = await t.store.blobs.put('image/jpeg', Uint8Array.from([1]));
      const intended = await t.store.blobs.put('image/jpeg', Uint8Array.from([2]));
      const orphan = await t.store.blobs.put('image/jpeg', Uint8Array.from([3]));
      await t.store.links.put(link('c1', 'g1', { photoHash: linked }));
      await t.store.plans.create({
        id: 'p1',
        kind: 'import',
        accountId: 'a',
        status: 'draft',
        options: {},
        summary: {},
      });
      await t.store.plans.addItems('p1', [
        item(0, { groupware: person('B', { photo: { mediaType: 'image/png', hash: planned } }) }),
      ]);
      await t.store.journal.intend({
        planId: 'p1',
        key: 'k',
        seq: 0,
        side: 'crm',
        operation: 'photo',
        beforePhotoHash: journalled,
        intent: { photo: { mediaType: 'image/jpeg', hash: intended } },
      });
      expect(await t.store.blobs.collectGarbage({ graceMs: 0 })).to.equal(1);
      expect(await t.store.blobs.get(orphan)).to.equal(undefined);
      for (const kept of [linked, planned, journalled, intended])
        expect(await t.store.blobs.get(kept)).not.to.equal(undefined);
      await t.store.plans.remove('p1');
      await t.store.links.remove('vcard-file:/srv/a', 'c1');
      expect(await t.store.blobs.collectGarbage({ graceMs: 0 })).to.equal(4);
    });

    it('keeps a blob stored moments ago that nothing names yet, as a plan being built needs it', async () => {
      const fresh = await t.store.blobs.put('image/jpeg', photoA);
      expect(await t.store.blobs.collectGarbage()).to.equal(0);
      expect(await t.store.blobs.get(fresh)).not.to.equal(undefined);
      await sleep(30);
      expect(await t.store.blobs.collectGarbage({ graceMs: 10 })).to.equal(1);
    });
  });
}
