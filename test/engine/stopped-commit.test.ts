import { expect } from 'chai';
import type { CrmsyncError } from '../../core/index.js';
import { EngineWorld } from './support/engine-world.js';

describe('A commit asked to stop between writes, as a worker that shuts down asks it', () => {
  let world: EngineWorld;

  before(async () => {
    world = await EngineWorld.open();
    world.addPartner({ id: 'GP-0001', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
  });
  after(async () => world?.close());

  it('stops an import part way, leaves it to be resumed, and the resumed commit imports each contact once', async () => {
    for (let at = 0; at < 40; at++)
      world.side.add({ givenName: 'Eva', surname: `Halt${at}`, email: `eva.halt${at}@kaiser.de` });
    const plan = await world.plans.createImportPlan();
    await world.plans.select(plan.id, 'all', true);
    const hold = world.crmServer.faults.hold({ method: 'POST', pathPrefix: '/api/v1/contacts', after: 10 });
    const stop = new AbortController();
    const committing = world.plans.commit(plan.id, { signal: stop.signal }).then(
      () => undefined,
      (error: CrmsyncError) => error,
    );
    while (hold.held === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    hold.release();
    const stopped = await committing;
    expect(stopped?.code, String(stopped)).to.equal('CRMSYNC_ERR_COMMIT_STOPPED');
    expect((await world.plans.get(plan.id)).status, 'left to be resumed').to.equal('committing');
    const halfway = (await world.crmContacts()).filter((contact) => /^Halt\d+$/.test(contact.surname ?? ''));
    expect(halfway.length, 'stopped before the end').to.be.within(10, 39);

    const resumed = await world.plans.commit(plan.id);
    expect(resumed.status).to.equal('committed');
    const imported = (await world.crmContacts()).filter((contact) => /^Halt\d+$/.test(contact.surname ?? ''));
    expect(imported.map((contact) => contact.surname).sort()).to.deep.equal(
      Array.from({ length: 40 }, (_, at) => `Halt${at}`).sort(),
    );
    const cards = (await world.groupwareContacts()).filter((card) => /^Halt\d+$/.test(card.surname ?? ''));
    expect(
      new Set(cards.map((card) => card.ids.crmId)).size,
      'each card stamped with its own CRM id',
    ).to.equal(40);
  });
});
