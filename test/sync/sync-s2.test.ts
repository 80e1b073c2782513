import { expect } from 'chai';
import { groupwareKinds, groupwareNames } from '../engine/support/groupware/groupware-side.js';
import { SyncHarness } from './support/sync-harness.js';

for (const kind of groupwareKinds) {
  const groupware = groupwareNames[kind];
  describe(`Adding to and removing from ${groupware} (S2)`, function () {
    this.timeout(60_000);
    let harness: SyncHarness;
    let crmIds: string[];

    beforeEach(async () => {
      // Ten linked contacts, so that one deletion stays within the share allowed without confirmation.
      ({ harness, crmIds } = await SyncHarness.startLinked(10, kind));
    });
    afterEach(async () => harness.close());

    it(`unlinks a contact deleted in ${groupware} and turns its CRM sync flag off, keeping the CRM contact`, async () => {
      const [anna] = crmIds;
      await harness.deleteGroupware(anna!);
      const result = await harness.sync();
      expect(result.plan.status).to.equal('committed');
      const crm = await harness.crm.getContact(anna!);
      expect(crm?.surname).to.match(/^Weiß-/);
      expect(crm?.groupwareSync).to.equal(false);
      expect(await harness.store.links.get(harness.targets.accountId, { crmId: anna! })).to.equal(undefined);
      // Turning the flag off in the CRM is this sync's own write: the next sync finds nothing to do.
      const next = await harness.sync();
      expect(next.written).to.deep.equal({ crm: 0, groupware: 0 });
      expect(await harness.copyOf(anna!)).to.equal(undefined);
    });

    it(`unlinks a contact a person deleted in ${groupware} right after the sync that created it, keeping the CRM contact`, async () => {
      const [anna] = crmIds;
      harness.side.remove((await harness.copyOf(anna!))!.ids.groupwareId!);
      const result = await harness.sync();
      expect(result.plan.status).to.equal('committed');
      expect((await harness.crm.getContact(anna!))?.groupwareSync).to.equal(false);
      expect(await harness.store.links.get(harness.targets.accountId, { crmId: anna! })).to.equal(undefined);
    });

    it(`keeps a change a person made in ${groupware} while a sync was writing, for the next sync to carry`, async () => {
      const [anna, ben] = crmIds;
      // A person's change that lands after the sync read its changes but before it stores its cursor.
      await harness.changeCrm(anna!, (contact) => ({ ...contact, jobTitle: 'Einkauf' }));
      const plan = await harness.engine.plan(harness.targets);
      const benCopy = (await harness.copyOf(ben!))!;
      await harness.side.change(benCopy.ids.groupwareId!, { jobTitle: 'Vertrieb' });
      await harness.engine.commit(plan.id, harness.targets);
      await harness.sync();
      expect((await harness.crm.getContact(ben!))?.jobTitle).to.equal('Vertrieb');
    });

    it('deletes the copy of a contact whose sync flag is turned off in the CRM, and creates it again when turned on', async () => {
      const [anna] = crmIds;
      await harness.changeCrm(anna!, (contact) => ({ ...contact, groupwareSync: false }));
      const off = await harness.sync();
      expect(off.written).to.deep.equal({ crm: 0, groupware: 1 });
      expect(await harness.copyOf(anna!)).to.equal(undefined);
      expect(await harness.store.links.get(harness.targets.accountId, { crmId: anna! })).to.equal(undefined);
      expect((await harness.crm.getContact(anna!))?.surname).to.match(/^Weiß-/);

      await harness.changeCrm(anna!, (contact) => ({ ...contact, groupwareSync: true }));
      const on = await harness.sync();
      expect(on.written).to.deep.equal({ crm: 0, groupware: 1 });
      const copy = await harness.copyOf(anna!);
      expect(copy?.ids.crmId).to.equal(anna);
      const link = await harness.store.links.get(harness.targets.accountId, { crmId: anna! });
      expect(link?.groupwareId).to.equal(copy?.ids.groupwareId);
    });

    it('says for each contact why it was or was not synced', async () => {
      const [turnedOff, deleted, changed] = crmIds;
      await harness.changeCrm(turnedOff!, (contact) => ({ ...contact, groupwareSync: false }));
      await harness.deleteGroupware(deleted!);
      await harness.changeCrm(changed!, (contact) => ({ ...contact, notes: 'Neue Notiz' }));
      const plan = await harness.engine.plan(harness.targets);
      const page = await harness.store.plans.page(plan.id, {});
      const reasons = Object.fromEntries(page.items.map((item) => [item.crmId, item.reason]));
      expect(reasons).to.deep.equal({
        [turnedOff!]: 'sync-turned-off',
        [deleted!]: 'deleted-in-groupware',
        [changed!]: 'changed',
      });
    });

    it('writes nothing on a dry run, and commits the same plan later', async () => {
      const [anna] = crmIds;
      await harness.changeCrm(anna!, (contact) => ({ ...contact, jobTitle: 'Vertrieb' }));
      const dryRun = await harness.engine.plan(harness.targets);
      expect(dryRun.status).to.equal('draft');
      expect((await harness.copyOf(anna!))?.jobTitle).to.equal('Einkauf');
      const committed = await harness.engine.commit(dryRun.id, harness.targets);
      expect(committed.plan.status).to.equal('committed');
      expect((await harness.copyOf(anna!))?.jobTitle).to.equal('Vertrieb');
    });

    it('deletes the copy of a contact deleted in the CRM', async () => {
      const [anna] = crmIds;
      const current = await harness.crm.getContact(anna!);
      for await (const outcome of harness.crm.apply([
        { kind: 'delete', key: 'test-delete', id: anna!, expectedVersion: current!.ids.crmVersion! },
      ]))
        expect(outcome.ok).to.equal(true);
      const result = await harness.sync();
      expect(result.written).to.deep.equal({ crm: 0, groupware: 1 });
      expect(await harness.copyOf(anna!)).to.equal(undefined);
      expect(await harness.store.links.count(harness.targets.accountId)).to.equal(9);
    });

    it('reads a change again when its write failed, instead of losing it', async () => {
      const [anna] = crmIds;
      await harness.changeCrm(anna!, (contact) => ({ ...contact, jobTitle: 'Vertrieb' }));
      const plan = await harness.engine.plan(harness.targets);
      // Someone edits the copy between planning and commit: the planned write is now stale.
      await harness.changeGroupware(anna!, (contact) => ({ ...contact, notes: 'Zwischendurch notiert' }));
      const failed = await harness.engine.commit(plan.id, harness.targets);
      expect(failed.commit?.failed).to.equal(1);
      expect(failed.plan.summary.cursorsStored).to.equal(false);

      const next = await harness.sync();
      expect(next.commit?.failed).to.equal(0);
      const copy = await harness.copyOf(anna!);
      expect(copy?.jobTitle).to.equal('Vertrieb');
      expect(copy?.notes).to.equal('Zwischendurch notiert');
      expect((await harness.crm.getContact(anna!))?.notes).to.equal('Zwischendurch notiert');
    });

    it('finishes a commit that was interrupted before it plans the next run', async () => {
      const [anna] = crmIds;
      await harness.changeCrm(anna!, (contact) => ({ ...contact, jobTitle: 'Vertrieb' }));
      const interrupted = await harness.engine.plan(harness.targets);
      // As a crash leaves it: the commit began and wrote nothing yet.
      await harness.store.plans.update(interrupted.id, { status: 'committing' });
      await harness.sync();
      expect((await harness.store.plans.get(interrupted.id))?.status).to.equal('committed');
      expect((await harness.copyOf(anna!))?.jobTitle).to.equal('Vertrieb');
    });

    it(`notices a copy deleted while ${groupware} had no cursor, by its absence from a full read`, async () => {
      const [anna] = crmIds;
      const copy = await harness.copyOf(anna!);
      harness.side.remove(copy!.ids.groupwareId!);
      await harness.store.cursors.remove(harness.targets.accountId, 'groupware');
      const result = await harness.sync();
      const [item] = (
        await harness.store.plans.page(result.plan.id, { filter: { reason: 'deleted-in-groupware' } })
      ).items;
      expect(item?.crmId).to.equal(anna);
      expect((await harness.crm.getContact(anna!))?.groupwareSync).to.equal(false);
    });

    it('reads the CRM whole when its cursor has expired, and syncs what changed', async () => {
      const [anna] = crmIds;
      await harness.changeCrm(anna!, (contact) => ({ ...contact, jobTitle: 'Vertrieb' }));
      const stored = await harness.store.cursors.get(harness.targets.accountId, 'crm');
      // The reference CRM's cursor names its database: one of another database is expired, as after a reset.
      const text = Buffer.from(stored!, 'base64url')
        .toString('utf8')
        .replace(/^c:[^:]+:/, 'c:another-database:');
      await harness.store.cursors.put(
        harness.targets.accountId,
        'crm',
        Buffer.from(text).toString('base64url'),
      );
      const result = await harness.sync();
      expect(result.plan.summary.read).to.have.property('crm', 10);
      expect(result.written).to.deep.equal({ crm: 0, groupware: 1 });
      expect((await harness.copyOf(anna!))?.jobTitle).to.equal('Vertrieb');
    });
  });
}
