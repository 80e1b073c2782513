import { expect } from 'chai';
import type { Contact } from '../../core/index.js';
import { PlanUndo } from '../../core/pipeline/undo/index.js';
import { groupwareKinds, groupwareNames } from '../engine/support/groupware/groupware-side.js';
import { SyncHarness } from './support/sync-harness.js';

for (const kind of groupwareKinds) {
  const groupware = groupwareNames[kind];
  describe(`Undoing a committed sync with ${groupware}`, function () {
    this.timeout(60_000);
    let harness: SyncHarness;
    let anna: Contact;
    let undo: PlanUndo;

    beforeEach(async () => {
      harness = await SyncHarness.start({ groupware: kind });
      anna = await harness.addCrmContact();
      await harness.sync();
      undo = new PlanUndo(harness.store);
    });
    afterEach(async () => harness.close());

    it('puts back what the sync wrote, and the next sync keeps it that way on both sides', async () => {
      const crmId = anna.ids.crmId!;
      await harness.changeGroupware(crmId, (contact) => ({ ...contact, jobTitle: 'Versehentlich geändert' }));
      const synced = await harness.sync();
      expect((await harness.crm.getContact(crmId))?.jobTitle).to.equal('Versehentlich geändert');

      const report = await undo.undo(synced.plan.id, harness.targets);
      expect(report.changedSince).to.deep.equal([]);
      expect((await harness.crm.getContact(crmId))?.jobTitle).to.equal('Einkauf');
      expect((await harness.store.plans.get(synced.plan.id))?.status).to.equal('undone');

      await harness.sync();
      expect((await harness.crm.getContact(crmId))?.jobTitle).to.equal('Einkauf');
      expect((await harness.copyOf(crmId))?.jobTitle).to.equal('Einkauf');
    });

    it('reports a record changed since the sync instead of overwriting it', async () => {
      const crmId = anna.ids.crmId!;
      await harness.changeCrm(crmId, (contact) => ({ ...contact, jobTitle: 'Vertrieb' }));
      const synced = await harness.sync();
      await harness.changeGroupware(crmId, (contact) => ({ ...contact, notes: 'Von Hand ergänzt' }));

      const report = await undo.undo(synced.plan.id, harness.targets);
      expect(report.changedSince).to.have.length(1);
      expect(report.changedSince[0]).to.include({ side: 'groupware' });
      const copy = await harness.copyOf(crmId);
      expect(copy?.notes).to.equal('Von Hand ergänzt');
      expect(copy?.jobTitle).to.equal('Vertrieb');
    });

    it('brings back a copy the sync deleted, linked again', async () => {
      const crmId = anna.ids.crmId!;
      // With a second linked contact the deletion is half of them, not "everything", and allowed here.
      await harness.addCrmContact();
      await harness.sync();
      await harness.changeCrm(crmId, (contact) => ({ ...contact, groupwareSync: false }));
      const synced = await harness.sync({ maxDeletionShare: 1 });
      expect(await harness.copyOf(crmId)).to.equal(undefined);

      await undo.undo(synced.plan.id, harness.targets);
      const copy = await harness.copyOf(crmId);
      expect(copy?.surname).to.equal(anna.surname);
      const link = await harness.store.links.get(harness.targets.accountId, { crmId });
      expect(link?.groupwareId).to.equal(copy?.ids.groupwareId);
    });

    it('refuses to undo a plan that was never committed', async () => {
      const dryRun = await harness.engine.plan(harness.targets);
      let failure: unknown;
      try {
        await undo.undo(dryRun.id, harness.targets);
      } catch (error) {
        failure = error;
      }
      expect(failure).to.have.property('code', 'CRMSYNC_ERR_PLAN_STATE');
    });
  });
}
