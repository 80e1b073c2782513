import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { groupwareKinds, groupwareNames } from '../engine/support/groupware/groupware-side.js';
import { SyncHarness } from './support/sync-harness.js';

for (const kind of groupwareKinds) {
  const groupware = groupwareNames[kind];
  describe(`Guards of a sync with ${groupware} against losing data`, function () {
    this.timeout(60_000);
    let harness: SyncHarness;
    let crmIds: string[];

    beforeEach(async () => {
      ({ harness, crmIds } = await SyncHarness.startLinked(10, kind));
    });
    afterEach(async () => harness.close());

    async function deleteThreeCopies(): Promise<string[]> {
      const gone = crmIds.slice(0, 3);
      for (const crmId of gone) await harness.deleteGroupware(crmId);
      return gone;
    }

    it('stops a sync that would unlink three of ten contacts and writes nothing until confirmed', async () => {
      const gone = await deleteThreeCopies();
      const stopped = await harness.sync();
      expect(stopped.plan.status).to.equal('awaiting-confirmation');
      expect(stopped.plan.summary.guard).to.deep.equal([
        '3 of 10 linked contacts (30 %) would go from the groupware, more than the 10 % allowed without confirmation',
      ]);
      expect(stopped.written).to.deep.equal({ crm: 0, groupware: 0 });
      for (const crmId of gone) {
        expect((await harness.crm.getContact(crmId))?.groupwareSync).to.equal(true);
        expect(await harness.store.links.get(harness.targets.accountId, { crmId })).not.to.equal(undefined);
      }

      const confirmed = await harness.engine.confirm(stopped.plan.id, harness.targets);
      expect(confirmed.plan.status).to.equal('committed');
      for (const crmId of gone) {
        expect((await harness.crm.getContact(crmId))?.groupwareSync).to.equal(false);
        expect(await harness.store.links.get(harness.targets.accountId, { crmId })).to.equal(undefined);
      }
    });

    it('cancels a stopped sync that is rejected, and stops the next one again', async () => {
      await deleteThreeCopies();
      const stopped = await harness.sync();
      const rejected = await harness.engine.reject(stopped.plan.id);
      expect(rejected.status).to.equal('cancelled');
      expect(await harness.store.links.count(harness.targets.accountId)).to.equal(10);
      const again = await harness.sync();
      expect(again.plan.status).to.equal('awaiting-confirmation');
    });

    it('lets the allowed share be raised, so the same run goes through', async () => {
      await deleteThreeCopies();
      const result = await harness.sync({ maxDeletionShare: 0.5 });
      expect(result.plan.status).to.equal('committed');
      expect(await harness.store.links.count(harness.targets.accountId)).to.equal(7);
    });

    it('refuses a second run for the same account while one holds it', async () => {
      await harness.store.leases.acquire(harness.targets.accountId, 'another run', 60_000);
      let failure: unknown;
      try {
        await harness.sync();
      } catch (error) {
        failure = error;
      }
      expect(failure).to.have.property('code', 'CRMSYNC_ERR_ACCOUNT_BUSY');
    });
  });
}

describe('Guards of a sync against what only a vCard folder can do', function () {
  this.timeout(60_000);
  let harness: SyncHarness;
  let crmIds: string[];

  beforeEach(async () => {
    ({ harness, crmIds } = await SyncHarness.startLinked(10, 'vcard'));
  });
  afterEach(async () => harness.close());

  it('fails a sync whose vCard folder has gone, and never takes its contacts as deleted', async () => {
    rmSync(harness.folder, { recursive: true, force: true });
    let failure: unknown;
    try {
      await harness.sync({ maxDeletionShare: 1 });
    } catch (error) {
      failure = error;
    }
    expect(failure).to.have.property('code', 'CRMSYNC_ERR_FOLDER_MISSING');
    expect(await harness.store.links.count(harness.targets.accountId)).to.equal(10);
    for (const crmId of crmIds) expect((await harness.crm.getContact(crmId))?.groupwareSync).to.equal(true);
    // The failed run left the account free for the next one.
    expect(await harness.store.leases.holder(harness.targets.accountId)).to.equal(undefined);
  });

  it('reports a card that cannot be read with its file, and syncs the rest', async () => {
    writeFileSync(join(harness.folder, 'kaputt.vcf'), 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Abgeschnitten\r\n');
    await harness.changeCrm(crmIds[0]!, (contact) => ({ ...contact, jobTitle: 'Vertrieb' }));
    const result = await harness.sync();
    expect(result.plan.status).to.equal('committed');
    expect((await harness.copyOf(crmIds[0]!))?.jobTitle).to.equal('Vertrieb');
    const [error] = (await harness.store.plans.page(result.plan.id, { filter: { reason: 'error' } })).items;
    expect(error?.outcome?.problem?.location.file).to.equal('kaputt.vcf');
  });
});
