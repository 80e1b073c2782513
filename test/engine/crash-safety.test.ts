import { expect } from 'chai';
import {
  type CommitFlowFactory,
  ExportFlow,
  type FlowStages,
  ImportFlow,
  JournalledCommitExecutor,
  type PlanHeader,
} from '../../core/index.js';
import { EngineWorld, pixel } from './support/engine-world.js';
import { CrashPlan, crashingContactStore, crashingStateStore, SimulatedCrash } from './support/faults.js';

/**
 * A commit that dies at each moment in turn (before and after every journal entry, link,
 * plan change and external write) and is then committed again must leave every contact
 * exactly once on each side, and every link right.
 */
async function commitCrashingAt(
  world: EngineWorld,
  plan: PlanHeader,
  flow: symbol,
  crashAt: number,
): Promise<{ crashed: boolean; moments: string[] }> {
  const crashes = new CrashPlan(crashAt);
  const stages = world.runtime.kernel.container.get<FlowStages>(flow);
  const commit = async (crashPlan: CrashPlan) => {
    const state = crashingStateStore(world.runtime.stateStore, crashPlan);
    const crm = crashingContactStore(await world.crm(), 'crm', crashPlan);
    const groupware = crashingContactStore(await world.groupware(), 'groupware', crashPlan);
    const factory: CommitFlowFactory = stages.commit;
    return new JournalledCommitExecutor(state).commit(
      plan.id,
      factory.flowFor({ crm, groupware, accountId: plan.accountId, state }),
      { accountId: plan.accountId, crm, groupware },
    );
  };
  let crashed = false;
  try {
    await commit(crashes);
  } catch (error) {
    if (!(error instanceof SimulatedCrash)) throw error;
    crashed = true;
    // The process is gone; a new one on the same store and folders commits again what it finds unfinished.
    await world.restart();
    if ((await world.plans.get(plan.id)).status !== 'committed') await commit(new CrashPlan());
  }
  return { crashed, moments: crashes.moments };
}

describe('A commit that crashes at any moment and is resumed', function () {
  this.timeout(300_000);

  let world: EngineWorld;
  beforeEach(async () => {
    world = await EngineWorld.open();
  });
  afterEach(async () => world?.close());

  it('exports every contact exactly once, linked to its card, wherever the export died', async () => {
    let crashAt = 1;
    for (;;) {
      // Each attempt exports contacts of a partner of its own.
      const partnerId = `GP-${crashAt}`;
      world.addPartner({ id: partnerId, name: `Firma ${crashAt} KG` });
      // Berg's sync flag is off: her export also writes to the CRM, turning it on.
      const crmIds = ['Arndt', 'Berg'].map(
        (lastName) =>
          world.addCrmContact({ partnerId, firstName: 'Eva', lastName, groupwareSync: lastName !== 'Berg' })
            .id,
      );
      world.setCrmPhoto(crmIds[0]!, pixel);
      const plan = await world.plans.createExportPlan({ partnerId });
      await world.plans.select(plan.id, 'all', true);
      const { crashed, moments } = await commitCrashingAt(world, plan, ExportFlow, crashAt);

      {
        const cards = (await world.groupwareContacts()).filter((card) => crmIds.includes(card.ids.crmId!));
        const where = `crash ${crashAt} (${moments.at(-1)})`;
        expect(cards.map((card) => card.ids.crmId).sort(), where).to.deep.equal([...crmIds].sort());
        for (const card of cards) {
          const link = await world.runtime.stateStore.links.get(plan.accountId, { crmId: card.ids.crmId! });
          expect(link?.groupwareId, where).to.equal(card.ids.groupwareId);
        }
        expect((await world.plans.get(plan.id)).status, where).to.equal('committed');
        const crm = (await world.crmContacts()).filter((contact) => crmIds.includes(contact.ids.crmId!));
        expect(
          crm.map((contact) => contact.groupwareSync),
          where,
        ).to.deep.equal([true, true]);
        if (!crashed) break;
      }
      crashAt += 1;
    }
    expect(crashAt, 'moments tried').to.be.greaterThan(20);
  });

  it('imports every contact exactly once and stamps its card, wherever the import died', async () => {
    world.addPartner({ id: 'GP-0001', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
    let crashAt = 1;
    for (;;) {
      // Each attempt imports people of its own; earlier ones carry their CRM id and are passed over.
      const names = ['Arndt', 'Berg'].map((name) => `${name}${crashAt}`);
      {
        const photo = `PHOTO;ENCODING=b;TYPE=PNG:${Buffer.from(pixel).toString('base64')}`;
        for (const name of names)
          world.writeCard(
            `${name}.vcf`,
            `N:${name};Eva;;;`,
            `EMAIL:eva.${name.toLowerCase()}@kaiser.de`,
            photo,
          );
        const plan = await world.plans.createImportPlan();
        // Earlier attempts' people look alike (possible duplicates), which the user may import.
        await world.plans.select(plan.id, 'all', true);
        const { crashed, moments } = await commitCrashingAt(world, plan, ImportFlow, crashAt);

        const where = `crash ${crashAt} (${moments.at(-1)})`;
        const crm = (await world.crmContacts()).filter((contact) => names.includes(contact.surname!));
        expect(crm.map((contact) => contact.surname).sort(), where).to.deep.equal(names);
        const cards = (await world.groupwareContacts()).filter((card) => names.includes(card.surname!));
        expect(cards, where).to.have.length(2);
        for (const card of cards) {
          const match = crm.find((contact) => contact.surname === card.surname);
          expect(card.ids.crmId, where).to.equal(match?.ids.crmId);
          const link = await world.runtime.stateStore.links.get(plan.accountId, { crmId: card.ids.crmId! });
          expect(link?.groupwareId, where).to.equal(card.ids.groupwareId);
        }
        if (!crashed) break;
      }
      crashAt += 1;
    }
    expect(crashAt, 'moments tried').to.be.greaterThan(20);
  });
});
