import { expect } from 'chai';
import { emptyContact } from '../../core/index.js';
import { EngineWorld } from '../engine/support/engine-world.js';
import { groupwareKinds, groupwareNames } from '../engine/support/groupware/groupware-side.js';

for (const kind of groupwareKinds) {
  const groupware = groupwareNames[kind];
  describe(`A country written out in ${groupware}, on its way into a CRM that keeps country codes`, function () {
    this.timeout(60_000);
    let world: EngineWorld;
    before(async () => {
      world = await EngineWorld.open(kind);
      world.addPartner({ id: 'GP-0001', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
    });
    after(async () => world?.close());

    it('is imported as the code, and the syncs after find nothing to write on either side', async () => {
      const address = {
        type: 'business' as const,
        street: 'Hohe Straße 1',
        postalCode: '50667',
        city: 'Köln',
      };
      for await (const outcome of (await world.groupware()).apply([
        {
          kind: 'create',
          key: 'typed-in',
          contact: {
            ...emptyContact(),
            givenName: 'Eva',
            surname: 'Land',
            emails: [{ address: 'eva.land@kaiser.de', type: 'work' }],
            addresses: [{ ...address, country: 'Deutschland' }],
          },
        },
      ]))
        expect(outcome.ok, JSON.stringify(outcome)).to.equal(true);
      const plan = await world.plans.createImportPlan();
      await world.plans.select(plan.id, 'all', true);
      const committed = await world.plans.commit(plan.id);
      expect(committed.summary, JSON.stringify(committed.summary)).to.deep.include({ imported: 1 });
      const [imported] = (await world.crmContacts()).filter((contact) => contact.surname === 'Land');
      expect(imported?.addresses).to.deep.equal([{ ...address, country: 'DE' }]);

      const { sync } = world.runtime.services;
      await sync.sync();
      const again = await sync.sync();
      expect(again.written, 'the second sync').to.deep.equal({ crm: 0, groupware: 0 });
      const [card] = (await world.groupwareContacts()).filter((contact) => contact.surname === 'Land');
      expect(card?.addresses[0]?.country, 'the address book keeps what its user wrote').to.equal(
        'Deutschland',
      );
    });
  });
}
