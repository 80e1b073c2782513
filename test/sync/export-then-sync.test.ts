import { expect } from 'chai';
import type { Contact, SyncService } from '../../core/index.js';
import { EngineWorld, pixel } from '../engine/support/engine-world.js';
import { groupwareKinds, groupwareNames } from '../engine/support/groupware/groupware-side.js';

for (const kind of groupwareKinds) {
  const groupware = groupwareNames[kind];
  describe(`Syncing what the export wizard exported to ${groupware}, through the runtime`, function () {
    this.timeout(60_000);
    let world: EngineWorld;
    let sync: SyncService;
    let weiss: string;
    let becker: string;

    beforeEach(async () => {
      world = await EngineWorld.open(kind);
      world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH', emailDomains: ['mueller-soehne.de'] });
      weiss = world.addCrmContact({
        partnerId: 'GP-0001',
        salutationCode: 'F',
        title: 'Dr.',
        firstName: 'Anna-Lena',
        lastName: 'Weiß',
        jobTitle: 'Einkaufsleiterin',
        emails: [{ address: 'anna-lena.weiss@mueller-soehne.de', kind: 'work', primary: true }],
        phones: { mobile: '0171 2345678', business: '0221 123456-12' },
        address: { street: 'Hohe Straße 1', postalCode: '50667', city: 'Köln', country: 'DE' },
        birthday: '1980-05-17',
        website: 'https://www.mueller-soehne.de/team/weiss',
      }).id;
      world.setCrmPhoto(weiss, pixel);
      becker = world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Jonas', lastName: 'Becker' }).id;
      const plan = await world.plans.createExportPlan({ partnerId: 'GP-0001' });
      await world.plans.select(plan.id, 'all', true);
      await world.plans.commit(plan.id);
      sync = world.runtime.services.sync;
    });
    afterEach(async () => world?.close());

    async function copyOf(crmId: string): Promise<Contact | undefined> {
      return (await world.groupware()).findByCrmId(crmId);
    }

    it('finds nothing to write right after the export, nor on the sync after', async () => {
      const first = await sync.sync();
      expect(first.plan.status).to.equal('committed');
      expect(first.written).to.deep.equal({ crm: 0, groupware: 0 });
      const second = await sync.sync();
      expect(second.written).to.deep.equal({ crm: 0, groupware: 0 });
      expect(second.plan.summary.read).to.deep.equal({ crm: 0, groupware: 0 });
    });

    it(`carries a change made in ${groupware} after the export to the CRM, and only that change`, async () => {
      await sync.sync();
      const folder = await world.groupware();
      const copy = (await copyOf(weiss))!;
      for await (const outcome of folder.apply([
        {
          kind: 'update',
          key: 'edit-in-address-book',
          id: copy.ids.groupwareId!,
          expectedVersion: copy.ids.groupwareVersion!,
          contact: { ...copy, jobTitle: 'Leitung Einkauf' },
        },
      ]))
        expect(outcome.ok).to.equal(true);
      const result = await sync.sync();
      const [item] = (await world.store.plans.page(result.plan.id, { filter: { reason: 'changed' } })).items;
      expect(result.written).to.deep.equal({ crm: 1, groupware: 0 });
      expect(item?.changes?.toCrm).to.deep.equal({ jobTitle: 'Leitung Einkauf' });
      const crm = await (await world.crm()).getContact(weiss);
      expect(crm?.jobTitle).to.equal('Leitung Einkauf');
      expect(crm?.phones.map((phone) => phone.number)).to.have.members(['0171 2345678', '0221 123456-12']);
      expect((await copyOf(weiss))?.photo?.bytes).to.have.length(pixel.length);
    });

    it('deletes the copy when the CRM flag is turned off after the export (S2)', async () => {
      const crm = await world.crm();
      const current = (await crm.getContact(becker))!;
      for await (const outcome of crm.apply([
        {
          kind: 'update',
          key: 'flag-off',
          id: becker,
          expectedVersion: current.ids.crmVersion!,
          contact: { ...current, groupwareSync: false },
        },
      ]))
        expect(outcome.ok).to.equal(true);
      // One of two linked contacts is half of them: allowed here, where the guard is not the subject.
      const result = await sync.sync({ maxDeletionShare: 0.5 });
      expect(result.written).to.deep.equal({ crm: 0, groupware: 1 });
      expect(await copyOf(becker)).to.equal(undefined);
      expect(await copyOf(weiss)).not.to.equal(undefined);
    });
  });
}
