import { expect } from 'chai';
import { groupwareKinds, groupwareNames } from '../engine/support/groupware/groupware-side.js';
import { SyncHarness } from './support/sync-harness.js';

for (const kind of groupwareKinds) {
  const groupware = groupwareNames[kind];
  describe(`Ongoing sync between the reference CRM and ${groupware}`, function () {
    this.timeout(60_000);
    let harness: SyncHarness;

    beforeEach(async () => {
      harness = await SyncHarness.start({ groupware: kind });
    });
    afterEach(async () => harness.close());

    it(`gives every CRM contact whose sync flag is on a copy in ${groupware}, stamped with its CRM id`, async () => {
      const anna = await harness.addCrmContact();
      const notSynced = await harness.addCrmContact({ groupwareSync: false });
      const result = await harness.sync();
      expect(result.commit?.failed).to.equal(0);
      const copy = await harness.copyOf(anna.ids.crmId!);
      expect(copy?.surname).to.equal(anna.surname);
      expect(copy?.emails[0]?.address).to.equal(anna.emails[0]!.address);
      expect(await harness.copyOf(notSynced.ids.crmId!)).to.equal(undefined);
    });

    it('writes nothing when nothing changed on either side', async () => {
      await harness.addCrmContact();
      await harness.addCrmContact();
      await harness.sync();
      await harness.sync();
      const quiet = await harness.sync();
      expect(quiet.written).to.deep.equal({ crm: 0, groupware: 0 });
      expect(quiet.plan.summary.read).to.deep.equal({ crm: 0, groupware: 0 });
    });

    it(`carries a job title changed in the CRM to ${groupware}`, async () => {
      const anna = await harness.addCrmContact();
      await harness.sync();
      await harness.changeCrm(anna.ids.crmId!, (contact) => ({ ...contact, jobTitle: 'Leitung Einkauf' }));
      const result = await harness.sync();
      expect(result.written).to.deep.equal({ crm: 0, groupware: 1 });
      expect((await harness.copyOf(anna.ids.crmId!))?.jobTitle).to.equal('Leitung Einkauf');
    });

    it(`carries a mobile number a person changed in ${groupware} to the CRM`, async () => {
      const anna = await harness.addCrmContact();
      await harness.sync();
      const copy = await harness.copyOf(anna.ids.crmId!);
      await harness.side.change(copy!.ids.groupwareId!, { mobile: '+49 171 9876543' });
      const result = await harness.sync();
      expect(result.written).to.deep.equal({ crm: 1, groupware: 0 });
      const crm = await harness.crm.getContact(anna.ids.crmId!);
      expect(crm?.phones.map((phone) => phone.number)).to.deep.equal(['+49 171 9876543']);
      const after = await harness.sync();
      expect(after.written).to.deep.equal({ crm: 0, groupware: 0 });
    });
  });
}
