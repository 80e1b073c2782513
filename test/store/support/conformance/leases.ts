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

    it('lists the leases of a kind that ran out unreleased, and lets exactly one caller clear each', async () => {
      await t.store.leases.acquire('turn:vcard-file:/srv/100%_a', 'worker-1/job-1', 1);
      await t.store.leases.acquire('turn:vcard-file:/srv/b', 'worker-2/job-2', 60_000);
      await t.store.leases.acquire('turnstile', 'worker-3/job-3', 1);
      await t.store.leases.acquire('vcard-file:/srv/a', 'plan:p-1', 1);
      await sleep(5);
      const lapsed = await t.store.leases.lapsed('turn:');
      expect(lapsed.map(({ accountId, holder }) => ({ accountId, holder }))).to.deep.equal([
        { accountId: 'turn:vcard-file:/srv/100%_a', holder: 'worker-1/job-1' },
      ]);
      expect(lapsed[0]!.expiresAt).to.be.at.most(Date.now());
      const cleared = await Promise.all([
        t.store.leases.clearLapsed('turn:vcard-file:/srv/100%_a', 'worker-1/job-1'),
        t.store.leases.clearLapsed('turn:vcard-file:/srv/100%_a', 'worker-1/job-1'),
      ]);
      expect(cleared.filter(Boolean)).to.have.length(1);
      expect(await t.store.leases.lapsed('turn:')).to.deep.equal([]);
      expect(
        await t.store.leases.clearLapsed('turn:vcard-file:/srv/b', 'worker-2/job-2'),
        'still held',
      ).to.equal(false);
      expect((await t.store.leases.holder('turn:vcard-file:/srv/b'))?.holder).to.equal('worker-2/job-2');
    });

    it('does not clear a lapsed lease that its holder renewed or another holder took in the meantime', async () => {
      await t.store.leases.acquire('turn:acc', 'worker-1/job-1', 1);
      await sleep(5);
      const [lapsed] = await t.store.leases.lapsed('turn:');
      expect(lapsed?.holder).to.equal('worker-1/job-1');
      expect(await t.store.leases.acquire('turn:acc', 'worker-2/job-1', 60_000)).to.equal(true);
      expect(await t.store.leases.clearLapsed('turn:acc', 'worker-1/job-1')).to.equal(false);
      expect((await t.store.leases.holder('turn:acc'))?.holder).to.equal('worker-2/job-1');
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
