import { expect } from 'chai';
import type { Contact } from '../../core/index.js';
import type { ConflictPolicy } from '../../core/pipeline/merge/index.js';
import { groupwareKinds, groupwareNames } from '../engine/support/groupware/groupware-side.js';
import { SyncHarness } from './support/sync-harness.js';

for (const kind of groupwareKinds) {
  const groupware = groupwareNames[kind];
  describe(`A field changed in the CRM and in ${groupware} since the last sync`, function () {
    this.timeout(60_000);
    let harness: SyncHarness;
    let anna: Contact;

    beforeEach(async () => {
      harness = await SyncHarness.start({ groupware: kind });
      anna = await harness.addCrmContact();
      await harness.sync();
    });
    afterEach(async () => harness.close());

    async function conflictUnder(policy: ConflictPolicy, groupwareUpdatedAt?: string) {
      const crmId = anna.ids.crmId!;
      await harness.changeCrm(crmId, (contact) => ({ ...contact, jobTitle: 'Leitung Einkauf' }));
      const copy = await harness.copyOf(crmId);
      await harness.side.change(copy!.ids.groupwareId!, { jobTitle: 'Einkaufsleiterin' }, groupwareUpdatedAt);
      const result = await harness.sync({ policy });
      const [item] = (await harness.store.plans.page(result.plan.id, { filter: { reason: 'conflict' } }))
        .items;
      return {
        item,
        crm: (await harness.crm.getContact(crmId))?.jobTitle,
        groupware: (await harness.copyOf(crmId))?.jobTitle,
      };
    }

    it('keeps the CRM value by default, and the plan shows both values side by side', async () => {
      const { item, crm, groupware } = await conflictUnder('crm-wins');
      expect(crm).to.equal('Leitung Einkauf');
      expect(groupware).to.equal('Leitung Einkauf');
      expect(item?.changes?.conflicts).to.deep.equal([
        {
          field: 'jobTitle',
          baseline: 'Einkauf',
          crm: 'Leitung Einkauf',
          groupware: 'Einkaufsleiterin',
          resolvedTo: 'crm',
        },
      ]);
    });

    it(`keeps the value of ${groupware} under groupware-wins`, async () => {
      const { item, crm, groupware } = await conflictUnder('groupware-wins');
      expect(crm).to.equal('Einkaufsleiterin');
      expect(groupware).to.equal('Einkaufsleiterin');
      expect(item?.changes?.conflicts?.[0]?.resolvedTo).to.equal('groupware');
    });

    it('keeps the value changed last under newest-wins', async () => {
      const inAMinute = new Date(Date.now() + 60_000).toISOString();
      const { item, crm, groupware } = await conflictUnder('newest-wins', inAMinute);
      expect(crm).to.equal('Einkaufsleiterin');
      expect(groupware).to.equal('Einkaufsleiterin');
      expect(item?.changes?.conflicts?.[0]).to.include({
        crm: 'Leitung Einkauf',
        groupware: 'Einkaufsleiterin',
      });
    });
  });
}
