import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { EngineWorld } from './support/engine-world.js';

describe('A commit meeting trouble', () => {
  let world: EngineWorld;

  before(async () => {
    world = await EngineWorld.open();
    world.addPartner({ id: 'GP-0001', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
    for (const lastName of ['Arndt', 'Berg', 'Conrad'])
      world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Eva', lastName });
    const first = await world.plans.createExportPlan({});
    await world.plans.select(first.id, 'all', true);
    await world.plans.commit(first.id);
  });
  after(async () => world?.close());

  it('does not overwrite a card changed by hand after planning, and still exports the others', async () => {
    const berg = (await world.groupwareContacts()).find((card) => card.surname === 'Berg')!;
    await world.changeCrmContact(berg.ids.crmId!, { jobTitle: 'Prokuristin' });
    const plan = await world.plans.createExportPlan({});
    const file = berg.ids.groupwareId!;
    const handEdited = world.readCard(file).replace('END:VCARD', 'NOTE:per Hand ergänzt\r\nEND:VCARD');
    writeFileSync(join(world.vcardFolder, file), handEdited);

    const done = await world.plans.commit(plan.id);
    expect(done.summary.exported).to.equal(2);
    const [refusal] = done.summary.notExported as { code: string; message: string }[];
    expect(refusal?.code).to.equal('CRMSYNC_ERR_STALE_VERSION');
    const failed = (await world.plans.page(plan.id, { filter: { outcome: 'failed' } })).items;
    expect(failed.map((item) => item.crmId)).to.deep.equal([berg.ids.crmId]);
    expect(failed[0]?.reason).to.equal('error');
    expect(failed[0]?.outcome?.problem?.location.recordId).to.equal(file);
    expect(world.readCard(file)).to.contain('NOTE:per Hand ergänzt');
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
    world.writeCard('arndt-privat.vcf', 'N:Arndt;Eva;;;', 'EMAIL:eva.arndt@web.de');
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
    world.writeCard('vogel.vcf', 'N:Vogel;Ute;;;', 'EMAIL:Ute.Vogel@kaiser.de');
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
    const vogel = (await world.items(plan.id)).find((item) => item.groupwareId === 'vogel.vcf');
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
