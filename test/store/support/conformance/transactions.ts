import { expect } from 'chai';
import { item, link, person, rejection, type StoreUnderTest } from './store-under-test.js';

export function describeTransactions(t: StoreUnderTest): void {
  describe('transactions', () => {
    it('keeps everything a transaction wrote once it resolves, and hands back its result', async () => {
      const result = await t.store.transaction(async (scope) => {
        await scope.links.put(link('c1', 'g1'));
        await scope.cursors.put('vcard-file:/srv/a', 'crm', 'cursor-1');
        return 'done';
      });
      expect(result).to.equal('done');
      expect(await t.store.links.count('vcard-file:/srv/a')).to.equal(1);
      expect(await t.store.cursors.get('vcard-file:/srv/a', 'crm')).to.equal('cursor-1');
    });

    it('leaves nothing behind of a transaction that failed, and passes its error on', async () => {
      await t.store.cursors.put('vcard-file:/srv/a', 'crm', 'before');
      const failure = new Error('the CRM went away');
      let caught: unknown;
      try {
        await t.store.transaction(async (scope) => {
          await scope.links.put(link('c1', 'g1'));
          await scope.cursors.put('vcard-file:/srv/a', 'crm', 'after');
          await scope.plans.create({
            id: 'p1',
            kind: 'sync',
            accountId: 'a',
            status: 'draft',
            options: {},
            summary: {},
          });
          await scope.plans.addItems('p1', [item(0)]);
          await scope.journal.intend({
            planId: 'p1',
            key: 'k1',
            seq: 0,
            side: 'crm',
            operation: 'create',
            intent: {},
          });
          await scope.candidates.upsert([{ crmId: 'c1', contact: person('X'), keys: ['k'] }]);
          throw failure;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.equal(failure);
      expect(await t.store.links.count('vcard-file:/srv/a')).to.equal(0);
      expect(await t.store.cursors.get('vcard-file:/srv/a', 'crm')).to.equal('before');
      expect(await t.store.plans.get('p1')).to.equal(undefined);
      expect(await t.store.journal.get('k1')).to.equal(undefined);
      expect(await t.store.candidates.size()).to.equal(0);
    });

    it('refuses the store itself inside a transaction rather than waiting for the transaction for ever', async () => {
      const error = await rejection(
        t.store.transaction(async () => {
          await t.store.links.count('vcard-file:/srv/a');
        }),
      );
      expect(error.code).to.equal('CRMSYNC_ERR_STORE_MISUSE');
      const nested = await rejection(t.store.transaction(() => t.store.transaction(async () => 1)));
      expect(nested.code).to.equal('CRMSYNC_ERR_STORE_MISUSE');
      expect(await t.store.links.count('vcard-file:/srv/a'), 'the store works on afterwards').to.equal(0);
    });

    it('serves a timer started inside a transaction that fires after it ended', async () => {
      let fired: Promise<string | undefined> | undefined;
      await t.store.transaction(async (scope) => {
        await scope.cursors.put('vcard-file:/srv/a', 'crm', 'kept');
        fired = new Promise((resolve, reject) =>
          setTimeout(() => t.store.cursors.get('vcard-file:/srv/a', 'crm').then(resolve, reject), 20),
        );
      });
      expect(await fired).to.equal('kept');
    });
  });
}
