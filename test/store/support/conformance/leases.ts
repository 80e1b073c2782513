import { expect } from 'chai';
import { inAnotherProcess, type StoreUnderTest, sleep } from './store-under-test.js';

export function describeLeases(t: StoreUnderTest): void {
  describe('leases', () => {
    it('refuses a lease another holder has until it expires, then gives it to them', async () => {
      expect(await t.store.leases.acquire('acc', 'run-1', 300)).to.equal(true);
      expect(await t.store.leases.acquire('acc', 'run-1', 300), 'its holder may ask again').to.equal(true);
      expect(await t.store.leases.acquire('acc', 'run-2', 300)).to.equal(false);
      expect(await t.store.leases.acquire('other-account', 'run-2', 300)).to.equal(true);
      expect((await t.store.leases.holder('acc'))?.holder).to.equal('run-1');
      await sleep(350);
      expect(await t.store.leases.holder('acc')).to.equal(undefined);
      expect(await t.store.leases.acquire('acc', 'run-2', 300)).to.equal(true);
      expect(await t.store.leases.renew('acc', 'run-1', 300), 'the old holder has lost it').to.equal(false);
    });

    it('lets only its holder renew or release a lease', async () => {
      await t.store.leases.acquire('acc', 'run-1', 200);
      expect(await t.store.leases.renew('acc', 'run-2', 10_000)).to.equal(false);
      await t.store.leases.release('acc', 'run-2');
      expect(await t.store.leases.renew('acc', 'run-1', 10_000)).to.equal(true);
      await sleep(250);
      const held = await t.store.leases.holder('acc');
      expect(held?.holder, 'renewed past its first expiry').to.equal('run-1');
      expect(held!.expiresAt).to.be.greaterThan(Date.now() + 5_000);
      await t.store.leases.release('acc', 'run-1');
      expect(await t.store.leases.holder('acc')).to.equal(undefined);
      expect(await t.store.leases.acquire('acc', 'run-2', 200)).to.equal(true);
    });

    async function contend(holder: string, actAt = 0): Promise<boolean> {
      const answer = await inAnotherProcess({
        config: t.config,
        actAt,
        action: 'acquire-lease',
        accountId: 'acc',
        holder,
        ttlMs: 60_000,
      });
      return answer.acquired as boolean;
    }

    it('refuses a lease held in this process to another process until it expires', async () => {
      expect(await t.store.leases.acquire('acc', 'here', 60_000)).to.equal(true);
      expect(await contend('there')).to.equal(false);
      // Renewed for a moment only: the lease runs out without being released.
      await t.store.leases.renew('acc', 'here', 1);
      await sleep(5);
      expect(await contend('there')).to.equal(true);
      expect(await t.store.leases.acquire('acc', 'here', 60_000)).to.equal(false);
      expect((await t.store.leases.holder('acc'))?.holder).to.equal('there');
    });

    it('gives a free lease to exactly one of several processes asking at the same moment', async () => {
      const actAt = Date.now() + 1_500;
      const results = await Promise.all(['one', 'two', 'three'].map((holder) => contend(holder, actAt)));
      expect(results.filter(Boolean)).to.have.length(1);
      const winner = ['one', 'two', 'three'][results.indexOf(true)];
      expect((await t.store.leases.holder('acc'))?.holder).to.equal(winner);
    });
  });
}
