import { expect } from 'chai';
import type { PlanHeader, PlanItem } from '../../core/index.js';
import { EngineWorld, pixel } from './support/engine-world.js';
import { groupwareKinds, groupwareNames } from './support/groupware/groupware-side.js';

for (const kind of groupwareKinds) {
  const groupware = groupwareNames[kind];

  describe(`Importing contacts from ${groupware} into the CRM (I1–I10)`, () => {
    let world: EngineWorld;
    let plan: PlanHeader;
    let items: PlanItem[];
    const ids: Record<string, string> = {};
    /** The groupware id of each contact a person entered, by a name the cases use. */
    const seeded: Record<string, string> = {};
    const item = (name: string) => items.find((candidate) => candidate.groupwareId === seeded[name])!;

    before(async () => {
      world = await EngineWorld.open(kind);
      world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH', emailDomains: ['mueller-soehne.de'] });
      world.addPartner({ id: 'GP-0002', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
      ids.weiss = world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Anna',
        lastName: 'Weiß',
        emails: [{ address: 'anna.weiss@mueller-soehne.de', kind: 'work' }],
      }).id;
      ids.mueller = world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Peter',
        lastName: 'Müller',
        phones: { mobile: '+49 171 9876543' },
      }).id;
      ids.strauss = world.addCrmContact({
        partnerId: 'GP-0002',
        firstName: 'Klaus',
        lastName: 'Strauß',
        phones: { mobile: '0151 1112223' },
      }).id;
      ids.hoffmann = world.addCrmContact({
        partnerId: 'GP-0002',
        firstName: 'Sabine',
        lastName: 'Hoffmann',
        emails: [{ address: 'sabine.hoffmann@kaiser.de', kind: 'work' }],
        birthday: '1975-04-12',
      }).id;

      const add = world.side.add.bind(world.side);
      seeded['email-case'] = add({
        surname: 'Weiss',
        givenName: 'Anna',
        email: '  ANNA.WEISS@Mueller-Soehne.DE  ',
      });
      seeded['mueller-slash'] = add({ surname: 'Mueller', givenName: 'Peter', mobile: '0171/9876543' });
      seeded['mueller-0049'] = add({ surname: 'Müller', givenName: 'P.', mobile: '0049-171-98 76 543' });
      seeded.strauss = add({ surname: 'Strauss', givenName: 'Klaus', mobile: '+49 151 1112223' });
      seeded.hofmann = add({
        surname: 'Hofmann',
        givenName: 'Sabine',
        email: 's.hofmann@kaiser.de',
        company: 'Kaiser KG',
        birthday: '1975-04-12',
      });
      seeded.kaiser = add({
        surname: 'Kaiser',
        givenName: 'Tom',
        email: 'tom.kaiser@kaiser.de',
        photo: pixel,
      });
      seeded.neumann = add({
        surname: 'Neumann',
        givenName: 'Lena',
        email: 'lena@neumann-design.de',
        company: 'Neumann Design',
      });
      seeded.linked = add({ surname: 'Linked', givenName: 'Lara', crmId: 'AP-999999' });
      seeded['zwei-firmen'] = add({
        surname: 'Ziegler',
        givenName: 'Jan',
        email: 'jan.ziegler@mueller-soehne.de',
        company: 'Kaiser KG',
      });

      plan = await world.plans.createImportPlan();
      items = await world.items(plan.id);
    });
    after(async () => world?.close());

    it('lists and counts only the contacts without a CRM id (I2, I4)', () => {
      expect(items.map((entry) => entry.groupwareId)).to.have.members(
        [
          'email-case',
          'mueller-slash',
          'mueller-0049',
          'strauss',
          'hofmann',
          'kaiser',
          'neumann',
          'zwei-firmen',
        ].map((name) => seeded[name]),
      );
      expect(plan.summary).to.include({ importable: 8, carryCrmId: 1, sure: 4, possible: 1, selected: 1 });
    });

    const verdicts: [string, string, 'sure' | 'possible' | 'none', string | undefined, string | undefined][] =
      [
        [
          'the same e-mail address in other case and with spaces',
          'email-case',
          'sure',
          'sure-email',
          'weiss',
        ],
        [
          'Mueller with mobile 0171/9876543 for Müller with +49 171 9876543',
          'mueller-slash',
          'sure',
          'sure-surname-mobile',
          'mueller',
        ],
        ['Müller with mobile 0049-171-98 76 543', 'mueller-0049', 'sure', 'sure-surname-mobile', 'mueller'],
        ['Strauss with the mobile of Strauß', 'strauss', 'sure', 'sure-surname-mobile', 'strauss'],
        [
          'Hofmann at the same company and birthday as Hoffmann',
          'hofmann',
          'possible',
          'possible-person',
          'hoffmann',
        ],
        ['a person the CRM does not know', 'kaiser', 'none', undefined, undefined],
      ];
    for (const [what, file, verdict, rule, crm] of verdicts) {
      it(`calls ${what} a ${verdict === 'none' ? 'non-' : `${verdict} `}duplicate (I6)`, () => {
        const duplicate = item(file).duplicate;
        expect(duplicate?.verdict).to.equal(verdict);
        if (rule) {
          const finding = duplicate!.findings[0]!;
          expect(finding).to.include({ ruleId: rule, crmId: ids[crm!] });
          expect(Object.keys(finding.evidence)).not.to.be.empty;
        }
      });
    }

    it('pre-assigns the partner whose e-mail domain the contact uses, saying why (I5)', () => {
      expect(item('kaiser').partner).to.deep.include({
        partner: { id: 'GP-0002', name: 'Kaiser KG' },
        by: 'resolver',
      });
      expect(item('kaiser').partner?.reason).to.contain('kaiser.de');
      expect(item('kaiser')).to.include({ selected: true, reason: 'selected' });
    });

    it('leaves a contact no resolver can place without partner, not ticked (I5)', () => {
      expect(item('neumann')).to.include({ selected: false, reason: 'no-partner' });
      expect(item('neumann').partner).to.equal(undefined);
    });

    it('assigns no partner when the e-mail domain and the company name point to two, and offers both (I5)', () => {
      const ziegler = item('zwei-firmen');
      expect(ziegler.partner).to.equal(undefined);
      expect(ziegler).to.include({ selected: false, reason: 'no-partner' });
      expect(ziegler.partnerCandidates?.map((candidate) => candidate.partner.id).sort()).to.deep.equal([
        'GP-0001',
        'GP-0002',
      ]);
    });

    it('does not let a sure duplicate be ticked (I7)', async () => {
      const error = await world.plans.select(plan.id, [item('email-case').seq], true).catch((e: Error) => e);
      expect(error).to.have.property('code', 'CRMSYNC_ERR_SURE_DUPLICATE');
      expect(
        (await world.plans.page(plan.id, { filter: { selected: true } })).items.map((i) => i.groupwareId),
      ).to.deep.equal([seeded.kaiser]);
    });

    it(`imports the ticked contacts, refuses the rest with their reason, and stamps the new CRM id back in ${groupware} (I7–I10)`, async () => {
      const before = world.crmContactCount();
      // A caller that ticks a sure duplicate and a contact without partner behind the wizard's back.
      await world.store.plans.updateItems(plan.id, [item('strauss').seq, item('neumann').seq], {
        selected: true,
      });
      const done = await world.plans.commit(plan.id);

      expect(done.summary.imported).to.equal(1);
      const refused = done.summary.notImported as { seq: number; code: string }[];
      expect(refused.map((entry) => entry.code).sort()).to.deep.equal([
        'CRMSYNC_ERR_NO_PARTNER',
        'CRMSYNC_ERR_SURE_DUPLICATE',
      ]);
      expect(world.crmContactCount()).to.equal(before + 1);

      const card = (await world.groupwareContacts()).find(
        (contact) => contact.ids.groupwareId === seeded.kaiser,
      )!;
      const crmId = card.ids.crmId!;
      expect(crmId, 'the card carries its new CRM id (I10)').to.match(/^AP-/);
      expect(world.side.crmIdOf(seeded.kaiser!), `${groupware} itself keeps the new CRM id`).to.equal(crmId);
      const crm = await world.crm();
      const imported = await crm.getContact(crmId);
      expect(imported).to.include({ surname: 'Kaiser', partnerId: 'GP-0002' });
      const photo = await crm.getPhoto(crmId);
      expect(Buffer.from(photo?.bytes ?? []).equals(Buffer.from(pixel)), 'the photo travelled (I9)').to.equal(
        true,
      );
      const link = await world.store.links.get(done.accountId, { crmId });
      expect(link?.groupwareId).to.equal(seeded.kaiser);
    });

    it('imports a contact once the user has chosen its partner, overriding the resolvers (I5)', async () => {
      const again = await world.plans.createImportPlan();
      const neumann = (await world.items(again.id)).find((entry) => entry.groupwareId === seeded.neumann)!;
      const assigned = await world.plans.assignPartner(again.id, neumann.seq, 'GP-0001');
      expect(assigned.partner).to.deep.include({
        by: 'user',
        partner: { id: 'GP-0001', name: 'Müller & Söhne GmbH' },
      });
      await world.plans.select(again.id, [neumann.seq], true);
      const done = await world.plans.commit(again.id);
      expect(done.summary.imported).to.equal(1);
      const card = (await world.groupwareContacts()).find(
        (contact) => contact.ids.groupwareId === seeded.neumann,
      );
      expect((await (await world.crm()).getContact(card!.ids.crmId!))?.partnerId).to.equal('GP-0001');
    });

    it('keeps a plan and its edits across a restart between wizard steps', async () => {
      const vogelId = world.side.add({ surname: 'Vogel', givenName: 'Ute', email: 'ute.vogel@kaiser.de' });
      const paused = await world.plans.createImportPlan();
      const vogel = (await world.items(paused.id)).find((entry) => entry.groupwareId === vogelId)!;
      await world.plans.select(paused.id, [vogel.seq], false);
      await world.restart();
      const resumed = (await world.items(paused.id)).find((entry) => entry.groupwareId === vogelId)!;
      expect(resumed).to.deep.equal({ ...vogel, selected: false, reason: 'not-selected' });
      await world.plans.select(paused.id, [vogel.seq], true);
      expect((await world.plans.commit(paused.id)).summary.imported).to.equal(1);
    });
  });

  describe(`Importing from ${groupware} when there is nothing to import (I3)`, () => {
    let world: EngineWorld;
    before(async () => {
      world = await EngineWorld.open(kind);
    });
    after(async () => world?.close());

    it('says so as information, not as an error', async () => {
      world.side.add({ surname: 'Linked', givenName: 'Lara', crmId: 'AP-000042' });
      const plan = await world.plans.createImportPlan();
      expect(plan.status).to.equal('draft');
      expect(plan.summary).to.include({ importable: 0, carryCrmId: 1 });
      expect(plan.summary.info).to.match(/no contacts/i);
    });
  });
}

describe('Importing an uploaded vCard file', () => {
  let world: EngineWorld;
  before(async () => {
    world = await EngineWorld.open();
    world.addPartner({ id: 'GP-0002', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
  });
  after(async () => world?.close());

  it('imports a contact with more numbers than the CRM has places for, with those it can hold', async () => {
    const file = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Viel;Max;;;',
      'EMAIL:max.viel@kaiser.de',
      'TEL;TYPE=CELL:0171 1111111',
      'TEL;TYPE=CELL:0172 2222222',
      'TEL;TYPE=PAGER:0190 333',
      'END:VCARD',
      '',
    ].join('\r\n');
    async function* upload() {
      yield new Uint8Array(Buffer.from(file));
    }
    const plan = await world.plans.createImportPlan({ source: upload(), fileName: 'viel.vcf' });
    const done = await world.plans.commit(plan.id);
    expect(done.summary.imported).to.equal(1);
    const max = (await world.crmContacts()).find((contact) => contact.surname === 'Viel');
    expect(max?.phones.map((phone) => [phone.type, phone.number])).to.deep.equal([
      ['mobile', '0171 1111111'],
    ]);
  });

  it('creates the ticked contacts in the CRM and leaves the vCard folder alone', async () => {
    const file = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Lang;Eva;;;',
      'EMAIL:eva.lang@kaiser.de',
      'END:VCARD',
      '',
    ].join('\r\n');
    async function* upload() {
      yield new Uint8Array(Buffer.from(file));
    }
    const plan = await world.plans.createImportPlan({ source: upload(), fileName: 'kontakte.vcf' });
    const [eva] = await world.items(plan.id);
    expect(eva?.selected).to.equal(true);
    expect(eva, 'a file has no groupware id to write back to').not.to.have.property('groupwareId');
    const done = await world.plans.commit(plan.id);
    expect(done.summary.imported).to.equal(1);
    expect((await world.crmContacts()).map((contact) => contact.surname)).to.include('Lang');
    expect(world.cardFiles()).to.deep.equal([]);
  });
});
