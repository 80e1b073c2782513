import { expect } from 'chai';
import { all, person, rejection, type StoreUnderTest } from './store-under-test.js';

export function describeJournal(t: StoreUnderTest): void {
  describe('the commit journal', () => {
    beforeEach(async () => {
      await t.store.plans.create({
        id: 'p1',
        kind: 'sync',
        accountId: 'a',
        status: 'committing',
        options: {},
        summary: {},
      });
    });

    it('records an intent once: a second intent under the same key is refused', async () => {
      const entry = {
        planId: 'p1',
        key: 'p1:0:crm',
        seq: 0,
        side: 'crm',
        operation: 'update',
        intent: { a: 1 },
      } as const;
      await t.store.journal.intend(entry);
      const error = await rejection(t.store.journal.intend({ ...entry, intent: { a: 2 } }));
      expect(error.code).to.equal('CRMSYNC_ERR_JOURNAL_DUPLICATE');
      expect((await t.store.journal.get('p1:0:crm'))?.intent).to.deep.equal({ a: 1 });
    });

    it('keeps the before-image and the outcome of a write across a restart', async () => {
      await t.store.journal.intend({
        planId: 'p1',
        key: 'k',
        seq: 3,
        side: 'groupware',
        operation: 'photo',
        targetId: 'g-3',
        before: person('Alt'),
        beforePhotoHash: 'ef'.repeat(32),
        intent: { photo: { hash: 'ab'.repeat(32) } },
      });
      const intended = await t.store.journal.get('k');
      expect(intended).to.include({ state: 'intent', targetId: 'g-3', beforePhotoHash: 'ef'.repeat(32) });
      expect(intended?.outcome).to.equal(undefined);
      await t.store.journal.settle('k', 'done', { version: 'ck-9' });
      await t.restart();
      const settled = await t.store.journal.get('k');
      expect(settled).to.deep.include({
        state: 'done',
        outcome: { version: 'ck-9' },
        before: person('Alt'),
        seq: 3,
      });
      expect(settled!.at).to.be.a('number');
    });

    it('refuses to settle a write that was never intended', async () => {
      expect((await rejection(t.store.journal.settle('ghost', 'done'))).code).to.equal(
        'CRMSYNC_ERR_NOT_FOUND',
      );
    });

    it("gives a plan's entries in the order they were intended, by state when asked, across pages", async () => {
      // Keys sort differently from the order of intent, so only the intended order can pass.
      const keys = Array.from({ length: 700 }, (_, n) => `key-${(n * 7919) % 1000}`);
      await t.store.transaction(async (scope) => {
        for (const [seq, key] of keys.entries())
          await scope.journal.intend({
            planId: 'p1',
            key,
            seq,
            side: 'crm',
            operation: 'create',
            intent: {},
          });
      });
      await t.store.journal.settle(keys[5]!, 'failed', { message: 'refused' });
      await t.store.journal.settle(keys[2]!, 'done');
      expect((await all(t.store.journal.entries('p1'))).map((entry) => entry.key)).to.deep.equal(keys);
      const failed = await all(t.store.journal.entries('p1', { state: 'failed' }));
      expect(failed.map((entry) => entry.key)).to.deep.equal([keys[5]]);
      expect(await all(t.store.journal.entries('other-plan'))).to.deep.equal([]);
    });
  });
}
