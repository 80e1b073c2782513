import { expect } from 'chai';
import type { Contact } from '../../core/index.js';
import { JournalledCommitExecutor } from '../../core/pipeline/commit/commit-executor.js';
import { SyncEngine } from '../../core/pipeline/sync/index.js';
import { PlanUndo } from '../../core/pipeline/undo/index.js';
import {
  CrashPlan,
  crashingContactStore,
  crashingStateStore,
  SimulatedCrash,
} from '../engine/support/faults.js';
import { SyncHarness } from './support/sync-harness.js';

/** A sync with one of each kind of write, planned and not yet committed. */
async function plannedSync() {
  const harness = await SyncHarness.start();
  const ids: string[] = [];
  for (let n = 0; n < 6; n++) ids.push((await harness.addCrmContact()).ids.crmId!);
  await harness.sync();
  const [changedInCrm, changedInFolder, turnedOff, deletedInFolder] = ids;
  await harness.changeCrm(changedInCrm!, (contact) => ({ ...contact, jobTitle: 'Vertrieb' }));
  await harness.changeGroupware(changedInFolder!, (contact) => ({ ...contact, notes: 'Aus dem Adressbuch' }));
  await harness.changeCrm(turnedOff!, (contact) => ({ ...contact, groupwareSync: false }));
  await harness.deleteGroupware(deletedInFolder!);
  const added = (await harness.addCrmContact()).ids.crmId!;
  const plan = await harness.engine.plan(harness.targets, { maxDeletionShare: 1 });
  return { harness, plan, changedInCrm, changedInFolder, turnedOff, deletedInFolder, added, ids };
}

async function commitCrashingAt(world: Awaited<ReturnType<typeof plannedSync>>, crashes: CrashPlan) {
  const { harness, plan } = world;
  const store = crashingStateStore(harness.store, crashes);
  const engine = new SyncEngine(store, new JournalledCommitExecutor(store));
  await engine.commit(plan.id, {
    accountId: harness.targets.accountId,
    crm: crashingContactStore(harness.crm, 'crm', crashes),
    groupware: crashingContactStore(harness.groupware, 'groupware', crashes),
  });
}

describe('A sync commit that crashes at any moment and is resumed', function () {
  this.timeout(600_000);

  it('leaves every contact once on each side with its link right, wherever it died', async () => {
    const counting = await plannedSync();
    const moments = new CrashPlan();
    await commitCrashingAt(counting, moments);
    await counting.harness.close();
    expect(moments.count).to.be.greaterThan(20);

    for (let crashAt = 1; crashAt <= moments.count; crashAt++) {
      const world = await plannedSync();
      const { harness } = world;
      const where = `crash ${crashAt}: ${moments.moments[crashAt - 1]}`;
      try {
        await commitCrashingAt(world, new CrashPlan(crashAt));
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
      }
      // The next run finishes the interrupted commit before it plans anything new; a commit
      // that died before it began left a draft, and the next run does the work itself.
      await harness.sync({ maxDeletionShare: 1 });
      expect((await harness.store.plans.get(world.plan.id))?.status, where).to.be.oneOf([
        'committed',
        'draft',
      ]);

      const cards = new Map<string, Contact[]>();
      for await (const fetched of harness.groupware.listContacts())
        if (fetched.ok) {
          const crmId = fetched.value.ids.crmId!;
          cards.set(crmId, [...(cards.get(crmId) ?? []), fetched.value]);
        }
      const synced = world.ids.filter((id) => id !== world.turnedOff && id !== world.deletedInFolder);
      expect([...cards.keys()].sort(), where).to.deep.equal([...synced, world.added].sort());
      for (const [crmId, copies] of cards) {
        expect(copies, `${where}: copies of ${crmId}`).to.have.length(1);
        const link = await harness.store.links.get(harness.targets.accountId, { crmId });
        expect(link?.groupwareId, `${where}: link of ${crmId}`).to.equal(copies[0]!.ids.groupwareId);
      }
      expect(await harness.store.links.count(harness.targets.accountId), where).to.equal(cards.size);
      expect(cards.get(world.changedInCrm)?.[0]?.jobTitle, where).to.equal('Vertrieb');
      expect((await harness.crm.getContact(world.changedInFolder))?.notes, where).to.equal(
        'Aus dem Adressbuch',
      );
      expect((await harness.crm.getContact(world.deletedInFolder))?.groupwareSync, where).to.equal(false);
      expect(harness.server.store.countContacts(), where).to.equal(world.ids.length + 1);

      const after = await harness.sync();
      expect(after.written, `${where}: the sync after`).to.deep.equal({ crm: 0, groupware: 0 });
      await harness.close();
    }
  });

  it('puts every write back once when an undo that died is run again', async () => {
    const syncedChange = async () => {
      const harness = await SyncHarness.start();
      const anna = (await harness.addCrmContact()).ids.crmId!;
      await harness.sync();
      await harness.changeGroupware(anna, (contact) => ({ ...contact, jobTitle: 'Versehentlich' }));
      const synced = await harness.sync();
      return { harness, anna, planId: synced.plan.id };
    };
    const undoCrashingAt = (
      { harness, planId }: Awaited<ReturnType<typeof syncedChange>>,
      crashes: CrashPlan,
    ) =>
      new PlanUndo(crashingStateStore(harness.store, crashes)).undo(planId, {
        accountId: harness.targets.accountId,
        crm: crashingContactStore(harness.crm, 'crm', crashes),
        groupware: crashingContactStore(harness.groupware, 'groupware', crashes),
      });

    const counting = await syncedChange();
    const moments = new CrashPlan();
    await undoCrashingAt(counting, moments);
    await counting.harness.close();

    for (let crashAt = 1; crashAt <= moments.count; crashAt++) {
      const world = await syncedChange();
      const where = `crash ${crashAt}: ${moments.moments[crashAt - 1]}`;
      try {
        await undoCrashingAt(world, new CrashPlan(crashAt));
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
      }
      const status = (await world.harness.store.plans.get(world.planId))?.status;
      if (status !== 'undone') {
        // The lease of the undo that died runs out before another may take the account.
        await world.harness.store.leases.release(world.harness.targets.accountId, `undo:${world.planId}`);
        const report = await new PlanUndo(world.harness.store).undo(world.planId, world.harness.targets);
        expect(report.changedSince, where).to.deep.equal([]);
      }
      expect((await world.harness.crm.getContact(world.anna))?.jobTitle, where).to.equal('Einkauf');
      await world.harness.close();
    }
  });
});
