import { expect } from 'chai';
import type { ExportFile } from '../../core/index.js';
import { EngineWorld, pixel } from './support/engine-world.js';
import { groupwareKinds, groupwareNames } from './support/groupware/groupware-side.js';

for (const kind of groupwareKinds) {
  const groupware = groupwareNames[kind];
  describe(`Exporting CRM contacts to ${groupware} (E1–E7)`, () => {
    let world: EngineWorld;
    let weiss: string;
    let becker: string;
    let schmidt: string;

    before(async () => {
      world = await EngineWorld.open(kind);
      world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH', emailDomains: ['mueller-soehne.de'] });
      world.addPartner({ id: 'GP-0002', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
      weiss = world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Anna-Lena',
        lastName: 'Weiß',
        emails: [{ address: 'anna-lena.weiss@mueller-soehne.de', kind: 'work', primary: true }],
        phones: { mobile: '0171 2345678' },
      }).id;
      world.setCrmPhoto(weiss, pixel);
      becker = world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Jonas',
        lastName: 'Becker',
        groupwareSync: false,
      }).id;
      schmidt = world.addCrmContact({
        partnerId: 'GP-0002',
        firstName: 'Maria',
        lastName: 'Schmidt',
        emails: [{ address: 'm.schmidt@kaiser.de', kind: 'work' }],
      }).id;
    });
    after(async () => world?.close());

    it('lists the contacts the search criteria find, none selected before a first export (E2, E3)', async () => {
      const plan = await world.plans.createExportPlan({ partnerId: 'GP-0001' });
      const items = await world.items(plan.id);
      expect(items.map((item) => item.crmId)).to.have.members([weiss, becker]);
      expect(items.every((item) => !item.selected && item.reason === 'not-selected')).to.equal(true);
      expect(plan.summary).to.include({ found: 2, exportedBefore: 0 });
      expect(world.side.ids()).to.deep.equal([]);
    });

    it(`writes each selected contact to ${groupware} with its CRM id and its photo (E5, E7)`, async () => {
      const plan = await world.plans.createExportPlan({ partnerId: 'GP-0001' });
      const [first] = await world.items(plan.id);
      await world.plans.select(plan.id, 'all', true);
      await world.plans.select(plan.id, [first!.seq], false);
      await world.plans.select(plan.id, [first!.seq], true);
      const progress: number[] = [];
      const done = await world.plans.commit(plan.id, { onProgress: ({ done }) => progress.push(done) });

      expect(done.status).to.equal('committed');
      expect(done.summary).to.include({ exported: 2 });
      expect(progress).to.deep.equal([0, 1, 2]);
      const cards = await world.groupwareContacts();
      expect(cards.map((card) => card.ids.crmId)).to.have.members([weiss, becker]);
      const annaLena = cards.find((card) => card.ids.crmId === weiss)!;
      expect(annaLena.surname).to.equal('Weiß');
      expect(annaLena.emails[0]?.address).to.equal('anna-lena.weiss@mueller-soehne.de');
      expect(Buffer.from(annaLena.photo?.bytes ?? []).equals(Buffer.from(pixel))).to.equal(true);
      expect(world.side.crmIdOf(annaLena.ids.groupwareId!), `${groupware} itself keeps the CRM id`).to.equal(
        weiss,
      );
      const link = await world.store.links.get(done.accountId, { crmId: weiss });
      expect(link?.groupwareId).to.equal(annaLena.ids.groupwareId);
      expect(link?.baseline.surname).to.equal('Weiß');
      expect(link?.photoHash).to.be.a('string');
    });

    it('turns the CRM sync flag on for a contact exported while it was off, so syncs keep its copy (S2)', async () => {
      const crm = await world.crm();
      const exported = await crm.getContact(becker);
      expect(exported?.groupwareSync).to.equal(true);
      const plan = (await world.store.plans.list({ kind: 'export', limit: 1 }))[0]!;
      const link = await world.store.links.get(plan.accountId, { crmId: becker });
      expect(link?.crmVersion, 'the link knows the version the flag was written with').to.equal(
        exported?.ids.crmVersion,
      );
    });

    it('pre-selects the contacts exported before, recognised by the CRM id they carry (E4)', async () => {
      const plan = await world.plans.createExportPlan({});
      const items = await world.items(plan.id);
      const byCrmId = new Map(items.map((item) => [item.crmId, item]));
      expect(byCrmId.get(weiss)).to.include({ selected: true, reason: 'exported-before', action: 'update' });
      expect(byCrmId.get(becker)).to.include({ selected: true, reason: 'exported-before' });
      expect(byCrmId.get(schmidt)).to.include({ selected: false, reason: 'not-selected', action: 'create' });
      expect(plan.summary).to.include({ found: 3, exportedBefore: 2, selected: 2 });
      const counts = await world.plans.counts(plan.id);
      expect(counts).to.include({ 'selected:true': 2, 'selected:false': 1, 'reason:exported-before': 2 });
    });

    it('updates the copies on a second export and creates nothing new', async () => {
      await world.changeCrmContact(becker, { jobTitle: 'Einkaufsleiter' });
      const before = world.side.ids().length;
      const unchanged = (await world.groupwareContacts()).find((contact) => contact.ids.crmId === weiss)!;
      const written = world.side.fingerprint(unchanged.ids.groupwareId!);
      const plan = await world.plans.createExportPlan({ partnerId: 'GP-0001' });
      const done = await world.plans.commit(plan.id);
      expect(done.summary).to.include({ exported: 2 });
      expect(world.side.ids()).to.have.length(before);
      expect(
        world.side.fingerprint(unchanged.ids.groupwareId!),
        'a copy that says what the CRM says is not rewritten',
      ).to.equal(written);
      const card = (await world.groupwareContacts()).find((contact) => contact.ids.crmId === becker);
      expect(card?.jobTitle).to.equal('Einkaufsleiter');
    });

    it('links and updates an unlinked contact that is a sure duplicate instead of creating a second one', async () => {
      const maria = world.side.add({
        givenName: 'Maria',
        surname: 'Schmidt',
        email: ' M.Schmidt@Kaiser.de ',
        notes: 'von Hand angelegt',
      });
      const plan = await world.plans.createExportPlan({ partnerId: 'GP-0002' });
      const [item] = await world.items(plan.id);
      expect(item).to.include({
        crmId: schmidt,
        groupwareId: maria,
        action: 'update',
        reason: 'sure-duplicate',
      });
      expect(item?.duplicate?.findings[0]?.ruleId).to.equal('sure-email');
      await world.plans.select(plan.id, [item!.seq], true);
      await world.plans.commit(plan.id);
      const marias = (await world.groupwareContacts()).filter((contact) => contact.surname === 'Schmidt');
      expect(marias).to.have.length(1);
      expect(marias[0]?.ids.crmId).to.equal(schmidt);
      expect(marias[0]?.ids.groupwareId).to.equal(maria);
    });

    it('changes nothing when the export is cancelled, and a cancelled plan cannot be committed (E6)', async () => {
      const before = world.side.snapshot();
      const plan = await world.plans.createExportPlan({});
      await world.plans.select(plan.id, 'all', true);
      const cancelled = await world.plans.cancel(plan.id);
      expect(cancelled.status).to.equal('cancelled');
      const error = await world.plans.commit(plan.id).catch((e: { code?: string }) => e);
      expect(error).to.have.property('code', 'CRMSYNC_ERR_PLAN_STATE');
      expect(world.side.snapshot()).to.equal(before);
    });

    it('streams the selected contacts to a vCard download when that export option is chosen (E6)', async () => {
      const before = world.side.snapshot();
      const plan = await world.plans.createExportPlan({ partnerId: 'GP-0001' });
      await world.plans.chooseExportOption(plan.id, 'vcard-single');
      const chunks: Uint8Array[] = [];
      let file: ExportFile | undefined;
      const done = await world.plans.commit(plan.id, {
        sink: {
          start: (started) => {
            file = started;
          },
          write: async (chunk) => {
            chunks.push(chunk);
          },
        },
      });
      expect(done.status).to.equal('committed');
      expect(done.summary).to.include({ exported: 2 });
      expect(file?.fileName).to.match(/\.vcf$/);
      const text = Buffer.concat(chunks).toString('utf8');
      expect(text.match(/BEGIN:VCARD/g)).to.have.length(2);
      expect(text).to.contain(`X-CRMSYNC-ID:${weiss}`);
      expect(world.side.snapshot(), `${groupware} is left alone`).to.equal(before);
    });

    it('keeps the lists and the chosen option across a restart between wizard steps', async () => {
      const plan = await world.plans.createExportPlan({ partnerId: 'GP-0001' });
      const [first, second] = await world.items(plan.id);
      await world.plans.select(plan.id, [first!.seq], false);
      await world.plans.chooseExportOption(plan.id, 'vcard-single');
      await world.restart();
      const resumed = await world.plans.get(plan.id);
      expect(resumed.options.exportOption).to.equal('vcard-single');
      const lists = await world.items(plan.id);
      expect(lists.map((item) => [item.seq, item.selected])).to.deep.equal([
        [first!.seq, false],
        [second!.seq, true],
      ]);
    });

    it('reports a CRM record that cannot be read with where it is, and plans the others', async () => {
      world.crmServer.store.insertRawContact('AP-KAPUTT-1', {
        id: 'AP-KAPUTT-1',
        partnerId: 'GP-0002',
        firstName: 'Ohne Nachname',
        emails: [],
        phones: {},
        groupwareSync: true,
        hasPhoto: false,
        version: 1,
      });
      const plan = await world.plans.createExportPlan({});
      expect((await world.items(plan.id)).map((item) => item.crmId)).to.have.members([
        weiss,
        becker,
        schmidt,
      ]);
      const [problem] = plan.summary.problems as { code: string; location: { recordId?: string } }[];
      expect(problem?.code).to.equal('CRMSYNC_ERR_CRM_RECORD');
      expect(problem?.location.recordId).to.equal('AP-KAPUTT-1');
    });

    it('refuses an export option that does not exist, naming it', async () => {
      const plan = await world.plans.createExportPlan({ partnerId: 'GP-0001' });
      const error = await world.plans.chooseExportOption(plan.id, 'fax-machine').catch((e: Error) => e);
      expect(error).to.have.property('code', 'CRMSYNC_ERR_CONTRIBUTION_UNKNOWN');
      expect((error as Error).message).to.contain('fax-machine');
    });
  });
}
