import { rmSync } from 'node:fs';
import { expect } from 'chai';
import type { CrmsyncError, GroupwareAccountStatus } from '../../core/index.js';
import { EngineWorld } from './support/engine-world.js';
import { type GroupwareSide, groupwareKinds } from './support/groupware/groupware-side.js';
import { asVcard } from './support/groupware/vcard-side.js';

const accountNames = { vcard: 'two vCard folders', outlook: 'two Outlook mailboxes' } as const;

for (const kind of groupwareKinds) {
  describe(`Keeping ${accountNames[kind]} apart: each its own account`, function () {
    this.timeout(120_000);
    let world: EngineWorld;
    let first: GroupwareSide;
    let second: GroupwareSide;
    let accounts: GroupwareAccountStatus[];
    let firstId: string;
    let secondId: string;
    let weiss: string;
    let becker: string;

    before(async () => {
      world = await EngineWorld.open(kind, { accounts: 2 });
      first = world.side;
      second = world.side.others[0]!;
      world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH', emailDomains: ['mueller-soehne.de'] });
      weiss = world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Anna-Lena', lastName: 'Weiß' }).id;
      becker = world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Jonas', lastName: 'Becker' }).id;
      accounts = await world.runtime.services.accounts.list();
      firstId = accounts[0]!.id;
      secondId = accounts[1]!.id;
    });
    after(async () => world?.close());

    const sync = (account?: string) =>
      world.runtime.services.sync.sync(account === undefined ? {} : { account });

    it('lists both accounts of the connector, the first configured as the default, each healthy', () => {
      const own = accounts.filter((account) => account.connector === world.side.connectorId);
      expect(own.map((account) => account.default)).to.deep.equal([true, false]);
      expect(own.every((account) => account.health.ok && !account.fallback)).to.equal(true);
      expect(firstId).to.not.equal(secondId);
      expect(firstId.startsWith(`${world.side.connectorId}:`)).to.equal(true);
    });

    it('exports to the account named, and to the default without a name; each holds only its own copy, linked under its own id', async () => {
      const toSecond = await world.plans.createExportPlan({ name: 'Weiß' }, { account: secondId });
      expect(toSecond.accountId).to.equal(secondId);
      await world.plans.select(toSecond.id, 'all', true);
      await world.plans.commit(toSecond.id);
      const toDefault = await world.plans.createExportPlan({ name: 'Becker' });
      expect(toDefault.accountId).to.equal(firstId);
      await world.plans.select(toDefault.id, 'all', true);
      await world.plans.commit(toDefault.id);

      expect(second.ids().map((id) => second.crmIdOf(id))).to.deep.equal([weiss]);
      expect(first.ids().map((id) => first.crmIdOf(id))).to.deep.equal([becker]);
      expect(await world.store.links.get(secondId, { crmId: weiss })).to.not.equal(undefined);
      expect(await world.store.links.get(firstId, { crmId: weiss })).to.equal(undefined);
      expect(await world.store.links.get(firstId, { crmId: becker })).to.not.equal(undefined);
      expect(await world.store.links.get(secondId, { crmId: becker })).to.equal(undefined);
    });

    it('does not count a copy in one account as exported before to the other', async () => {
      const plan = await world.plans.createExportPlan({ name: 'Weiß' }, { account: firstId });
      const [item] = await world.items(plan.id);
      expect(item).to.include({ crmId: weiss, action: 'create', selected: false });
      await world.plans.cancel(plan.id);
    });

    it('imports from the account named only the contacts that account holds', async () => {
      second.add({ givenName: 'Clara', surname: 'Neumann', email: 'clara.neumann@mueller-soehne.de' });
      first.add({ givenName: 'Otto', surname: 'Lindner', email: 'otto.lindner@mueller-soehne.de' });
      const fromSecond = await world.plans.createImportPlan(undefined, { account: secondId });
      expect(fromSecond.accountId).to.equal(secondId);
      const names = (await world.items(fromSecond.id)).map((item) => item.groupware?.surname);
      expect(names).to.deep.equal(['Neumann']);
      await world.plans.cancel(fromSecond.id);
    });

    it('syncs each account with cursors of its own: a run of one leaves the other untouched', async () => {
      const firstBefore = first.snapshot();
      const run = await sync(secondId);
      expect(run.plan.accountId).to.equal(secondId);
      expect(await world.store.cursors.get(secondId, 'groupware')).to.be.a('string');
      expect(await world.store.cursors.get(firstId, 'groupware')).to.equal(undefined);
      expect(first.snapshot(), 'the default account is not written by a run of the other').to.equal(
        firstBefore,
      );
      // Becker has a copy in the default account only; the second account's run made it one there too.
      expect(second.ids().map((id) => second.crmIdOf(id))).to.include.members([weiss, becker]);
      const own = await sync();
      expect(own.plan.accountId).to.equal(firstId);
      expect(await world.store.cursors.get(firstId, 'groupware')).to.be.a('string');
      expect(await world.store.cursors.get(secondId, 'groupware')).to.not.equal(
        await world.store.cursors.get(firstId, 'groupware'),
      );
    });

    it("carries a CRM change to both accounts, each in its own run, and a copy's change from one account only once", async () => {
      await world.changeCrmContact(becker, { jobTitle: 'Einkaufsleiter' });
      await sync(secondId);
      const inSecond = second.ids().find((id) => second.crmIdOf(id) === becker)!;
      const inFirst = first.ids().find((id) => first.crmIdOf(id) === becker)!;
      const firstBefore = first.fingerprint(inFirst);
      await sync(firstId);
      expect(first.fingerprint(inFirst), 'the default account got the change in its own run').to.not.equal(
        firstBefore,
      );
      await second.change(inSecond, { notes: 'Rückruf erbeten' });
      const carried = await sync(secondId);
      expect(carried.written.crm).to.equal(1);
      expect((await (await world.crm()).getContact(becker))?.notes).to.equal('Rückruf erbeten');
      const again = await sync(secondId);
      expect(again.written).to.deep.equal({ crm: 0, groupware: 0 });
    });

    it('holds a lease per account: a run holding one account never stops a run of the other', async () => {
      expect(await world.store.leases.acquire(firstId, 'another-host', 60_000)).to.equal(true);
      try {
        const busy = (await sync(firstId).catch((error: CrmsyncError) => error)) as CrmsyncError;
        expect(busy.code).to.equal('CRMSYNC_ERR_ACCOUNT_BUSY');
        const other = await sync(secondId);
        expect(other.plan.status).to.be.oneOf(['committed', 'draft']);
      } finally {
        await world.store.leases.release(firstId, 'another-host');
      }
    });

    it('refuses an account nobody configured, naming the accounts there are', async () => {
      const unknown = `${world.side.connectorId}:nirgendwo`;
      const error = (await sync(unknown).catch((e: CrmsyncError) => e)) as CrmsyncError;
      expect(error.code).to.equal('CRMSYNC_ERR_ACCOUNT_UNKNOWN');
      expect(error.message).to.include(firstId).and.include(secondId);
      const plan = (await world.plans
        .createExportPlan({}, { account: unknown })
        .catch((e: CrmsyncError) => e)) as CrmsyncError;
      expect(plan.code).to.equal('CRMSYNC_ERR_ACCOUNT_UNKNOWN');
    });

    it('commits a plan with the account it was made for, whatever is the default', async () => {
      const plan = await world.plans.createExportPlan({ name: 'Weiß' }, { account: firstId });
      await world.plans.select(plan.id, 'all', true);
      await world.plans.commit(plan.id);
      expect(first.ids().map((id) => first.crmIdOf(id))).to.include(weiss);
      expect(second.ids().filter((id) => second.crmIdOf(id) === weiss)).to.have.length(1);
    });
  });
}

describe('A vCard folder out of reach among several', function () {
  this.timeout(60_000);

  it('is reported as unavailable, never replaced by another folder of the same connector', async () => {
    const world = await EngineWorld.open('vcard', { accounts: 2 });
    try {
      world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH' });
      world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Kim', lastName: 'Lange' });
      const [, second] = await world.runtime.services.accounts.list();
      rmSync(asVcard(world.side.others[0]!).folder, { recursive: true });
      const error = (await world.plans
        .createExportPlan({}, { account: second!.id })
        .catch((e: CrmsyncError) => e)) as CrmsyncError;
      expect(error.code).to.equal('CRMSYNC_ERR_GROUPWARE_UNAVAILABLE');
      expect(error.message).to.include(second!.id).and.include('CRMSYNC_ERR_FOLDER_MISSING');
      expect(world.side.ids(), 'the default folder is left alone').to.deep.equal([]);
    } finally {
      await world.close();
    }
  });
});
