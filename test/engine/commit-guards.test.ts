import { expect } from 'chai';
import { EngineWorld } from './support/engine-world.js';
import { groupwareKinds, groupwareNames } from './support/groupware/groupware-side.js';

for (const kind of groupwareKinds) {
  const groupware = groupwareNames[kind];
  describe(`A commit to ${groupware} meeting trouble`, () => {
    let world: EngineWorld;

    before(async () => {
      world = await EngineWorld.open(kind);
      world.addPartner({ id: 'GP-0001', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
      for (const lastName of ['Arndt', 'Berg', 'Conrad'])
        world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Eva', lastName });
      const first = await world.plans.createExportPlan({});
      await world.plans.select(first.id, 'all', true);
      await world.plans.commit(first.id);
    });
    after(async () => world?.close());

    it(`does not overwrite a contact changed by hand in ${groupware} after planning, and still exports the others`, async () => {
      const berg = (await world.groupwareContacts()).find((card) => card.surname === 'Berg')!;
      await world.changeCrmContact(berg.ids.crmId!, { jobTitle: 'Prokuristin' });
      const plan = await world.plans.createExportPlan({});
      const handEdited = berg.ids.groupwareId!;
      await world.side.change(handEdited, { notes: 'per Hand ergänzt' });

      const done = await world.plans.commit(plan.id);
      expect(done.summary.exported).to.equal(2);
      const [refusal] = done.summary.notExported as { code: string; message: string }[];
      expect(refusal?.code).to.equal('CRMSYNC_ERR_STALE_VERSION');
      const failed = (await world.plans.page(plan.id, { filter: { outcome: 'failed' } })).items;
      expect(failed.map((item) => item.crmId)).to.deep.equal([berg.ids.crmId]);
      expect(failed[0]?.reason).to.equal('error');
      expect(failed[0]?.outcome?.problem?.location.recordId).to.equal(handEdited);
      const kept = (await world.groupwareContacts()).find(
        (contact) => contact.ids.groupwareId === handEdited,
      );
      expect(kept?.notes).to.equal('per Hand ergänzt');
      expect(kept?.jobTitle).not.to.equal('Prokuristin');
    });

    it('waits for another run on the same account instead of writing alongside it', async () => {
      const plan = await world.plans.createExportPlan({});
      expect(await world.store.leases.acquire(plan.accountId, 'a sync elsewhere', 60_000)).to.equal(true);
      const error = await world.plans.commit(plan.id).catch((e: Error) => e);
      expect(error).to.have.property('code', 'CRMSYNC_ERR_ACCOUNT_BUSY');
      expect((await world.plans.get(plan.id)).status).to.equal('draft');
      await world.store.leases.release(plan.accountId, 'a sync elsewhere');
      expect((await world.plans.commit(plan.id)).status).to.equal('committed');
      expect(await world.store.leases.holder(plan.accountId)).to.equal(undefined);
    });

    it('keeps the duplicate index across a restart and reads only what changed in the CRM since', async () => {
      world.side.add({ surname: 'Arndt', givenName: 'Eva', email: 'eva.arndt@web.de' });
      await world.plans.createImportPlan();
      const indexed = await world.store.candidates.size();
      expect(indexed).to.equal(world.crmContactCount());
      await world.restart();
      const added = world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Ute',
        lastName: 'Vogel',
        emails: [{ address: 'ute.vogel@kaiser.de', kind: 'work' }],
      });
      const vogelId = world.side.add({ surname: 'Vogel', givenName: 'Ute', email: 'Ute.Vogel@kaiser.de' });
      const { cursor } = await world.store.candidates.getState();
      const crm = await world.crm();
      const asked: (string | undefined)[] = [];
      const changesSince = crm.changesSince.bind(crm);
      crm.changesSince = (since) => {
        asked.push(since);
        return changesSince(since);
      };
      const plan = await world.plans.createImportPlan();
      expect(cursor).to.be.a('string');
      expect(asked, 'the feed is read from the stored cursor, not from the start').to.deep.equal([cursor]);
      expect(await world.store.candidates.size()).to.equal(indexed + 1);
      const vogel = (await world.items(plan.id)).find((item) => item.groupwareId === vogelId);
      expect(vogel?.duplicate?.verdict).to.equal('sure');
      expect(vogel?.duplicate?.findings[0]?.crmId).to.equal(added.id);
    });

    it('rebuilds the duplicate index from the whole CRM when the rules changed since it was built', async () => {
      const { cursor } = await world.store.candidates.getState();
      await world.store.candidates.setState({ cursor, rulesFingerprint: 'rules of an older crmsync' });
      const crm = await world.crm();
      const asked: (string | undefined)[] = [];
      const changesSince = crm.changesSince.bind(crm);
      crm.changesSince = (since) => {
        asked.push(since);
        return changesSince(since);
      };
      await world.plans.createImportPlan();
      expect(asked).to.deep.equal([undefined]);
      expect(await world.store.candidates.size()).to.equal(world.crmContactCount());
      expect((await world.store.candidates.getState()).rulesFingerprint).not.to.equal(
        'rules of an older crmsync',
      );
    });
  });
}
