import { expect } from 'chai';
import type { GraphServer } from '../../emulators/graph/index.js';
import { EngineWorld } from './support/engine-world.js';
import type { OutlookSide } from './support/groupware/outlook-side.js';

/** A batch's own request line: resets and lost answers hit the round trip, not one request in it. */
const batchLine = /^POST \/v1\.0\/\$batch/;

/**
 * Outlook refusing two in five of the requests a mailbox is asked (429, inside batches too),
 * with a Retry-After short enough for the storm to pass within a test.
 */
function startStorm(server: GraphServer): void {
  server.faults.startStorm({ share: 0.4, fault: { kind: 'status', status: 429, retryAfter: '0.01' } });
}

/** How many Outlook contacts carry each CRM id, read from the mailbox itself. */
function crmIdCounts(world: EngineWorld): Map<string | undefined, number> {
  const counts = new Map<string | undefined, number>();
  for (const id of world.side.ids()) {
    const crmId = world.side.crmIdOf(id);
    counts.set(crmId, (counts.get(crmId) ?? 0) + 1);
  }
  return counts;
}

describe('Exporting, importing and syncing with Outlook through a throttling storm and injected faults', function () {
  this.timeout(60_000);
  let world: EngineWorld;
  let server: GraphServer;
  let crmIds: string[];

  beforeEach(async () => {
    world = await EngineWorld.open('outlook');
    server = (world.side as OutlookSide).server;
    world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH', emailDomains: ['mueller-soehne.de'] });
    crmIds = Array.from(
      { length: 30 },
      (_, n) =>
        world.addCrmContact({
          partnerId: 'GP-0001',
          firstName: 'Jördis',
          lastName: `Sturm-${String(n).padStart(2, '0')}`,
          emails: [{ address: `sturm.${n}@mueller-soehne.de`, kind: 'work', primary: true }],
          phones: { mobile: `+49 171 55500${String(n).padStart(2, '0')}` },
        }).id,
    );
  });
  afterEach(async () => {
    server?.faults.clear();
    await world?.close();
  });

  async function exportAll(): Promise<void> {
    const plan = await world.plans.createExportPlan({ partnerId: 'GP-0001' });
    await world.plans.select(plan.id, 'all', true);
    const done = await world.plans.commit(plan.id);
    expect(done.status).to.equal('committed');
  }

  it('exports every selected contact exactly once and reports each as exported, though Outlook throttles, fails and drops answers', async () => {
    startStorm(server);
    const plan = await world.plans.createExportPlan({ partnerId: 'GP-0001' });
    await world.plans.select(plan.id, 'all', true);
    // A create whose answer is lost may have happened: only looking for it can tell.
    server.faults.enqueue({ fault: { kind: 'lose-answer' }, match: batchLine });
    server.faults.enqueue({ fault: { kind: 'reset' }, match: batchLine });
    server.faults.enqueue({
      fault: { kind: 'status', status: 503 },
      times: 2,
      match: /^POST \/v1\.0\/users\/[^/]+\/contactFolders\/[^/]+\/contacts$/,
    });
    const done = await world.plans.commit(plan.id);
    server.faults.stopStorm();

    expect(server.stats.throttled, 'the storm did bite').to.be.greaterThan(10);
    expect(server.faults.answered).to.deep.include({ reset: 1, 'lose-answer': 1 });
    expect(server.faults.answered.status, '429s and 503s').to.be.greaterThan(server.stats.throttled);
    expect(done.status).to.equal('committed');
    expect(done.summary).to.include({ exported: 30 });
    expect(done.summary.notExported).to.deep.equal([]);
    const counts = crmIdCounts(world);
    for (const crmId of crmIds) expect(counts.get(crmId), `${crmId} in Outlook`).to.equal(1);
    expect(world.side.ids()).to.have.length(30);
    expect(world.crmContactCount(), 'the CRM gained nothing').to.equal(30);
    const sturm7 = (await world.groupwareContacts()).find((contact) => contact.ids.crmId === crmIds[7]);
    expect(sturm7?.surname).to.equal('Sturm-07');
    expect(sturm7?.emails.map((email) => email.address)).to.deep.equal(['sturm.7@mueller-soehne.de']);
    // What the report claims matches the mailbox: a sync in calm weather finds nothing left to do.
    const calm = await world.runtime.services.sync.sync();
    expect(calm.written).to.deep.equal({ crm: 0, groupware: 0 });
  });

  it('imports what a person entered in Outlook exactly once, stamping each with its CRM id, though Outlook throttles and drops answers', async () => {
    const entered = Array.from({ length: 6 }, (_, n) =>
      world.side.add({ givenName: 'Kai', surname: `Neu-${n}`, email: `kai.neu.${n}@mueller-soehne.de` }),
    );
    startStorm(server);
    const plan = await world.plans.createImportPlan();
    const items = await world.items(plan.id);
    expect(items.filter((item) => item.selected).map((item) => item.groupwareId)).to.have.members(entered);
    // Stamping the CRM id is an update under If-Match: repeated after a lost answer, it meets its own change key.
    server.faults.enqueue({ fault: { kind: 'lose-answer' }, match: batchLine });
    server.faults.enqueue({ fault: { kind: 'status', status: 503 }, match: /^PATCH / });
    const done = await world.plans.commit(plan.id);
    server.faults.stopStorm();

    expect(server.stats.throttled, 'the storm did bite').to.be.greaterThan(0);
    expect(server.faults.answered).to.deep.include({ 'lose-answer': 1 });
    expect(done.status).to.equal('committed');
    expect(done.summary).to.include({ imported: 6 });
    expect(done.summary.notImported).to.deep.equal([]);
    const crm = await world.crmContacts();
    expect(crm).to.have.length(36);
    for (let n = 0; n < 6; n++)
      expect(
        crm.filter((contact) => contact.surname === `Neu-${n}`),
        `Neu-${n} in the CRM`,
      ).to.have.length(1);
    expect(world.side.ids()).to.have.length(6);
    for (const id of entered) {
      const crmId = world.side.crmIdOf(id);
      expect(crmId, 'Outlook keeps the new CRM id').to.match(/^AP-/);
      expect(crm.find((contact) => contact.ids.crmId === crmId)?.emails[0]?.address).to.match(/^kai\.neu\./);
    }
  });

  it('syncs changes, new contacts and a removal both ways exactly once under the storm, and reports what it wrote', async () => {
    await exportAll();
    const sync = world.runtime.services.sync;
    await sync.sync();
    const copies = new Map(
      (await world.groupwareContacts()).map((contact) => [contact.ids.crmId!, contact.ids.groupwareId!]),
    );
    for (const crmId of crmIds.slice(0, 6)) await world.changeCrmContact(crmId, { jobTitle: 'Einkauf' });
    for (const crmId of crmIds.slice(6, 10))
      await world.side.change(copies.get(crmId)!, { jobTitle: 'Vertrieb', mobile: '+49 160 1234567' });
    await world.changeCrmContact(crmIds[10]!, { groupwareSync: false });
    const added = [0, 1].map(
      (n) => world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Lea', lastName: `Später-${n}` }).id,
    );

    startStorm(server);
    server.faults.enqueue({
      fault: { kind: 'status', status: 503, retryAfter: '1' },
      match: /^GET .*\/contacts\/delta$/,
    });
    server.faults.enqueue({ fault: { kind: 'reset' }, match: batchLine });
    const plan = await sync.sync({ dryRun: true });
    expect(server.faults.answered, 'the change read was cut off once').to.deep.include({ reset: 1 });
    // The writes meet a lost answer and a cut connection of their own: there a blind retry could write twice.
    server.faults.enqueue({ fault: { kind: 'lose-answer' }, match: batchLine });
    server.faults.enqueue({ fault: { kind: 'reset' }, match: batchLine });
    server.faults.enqueue({ fault: { kind: 'status', status: 503 }, times: 2, match: /^(PATCH|DELETE) / });
    const result = await sync.commit(plan.plan.id);
    server.faults.stopStorm();

    expect(server.stats.throttled, 'the storm did bite').to.be.greaterThan(5);
    expect(server.faults.answered).to.deep.include({ reset: 2, 'lose-answer': 1 });
    expect(result.plan.status).to.equal('committed');
    expect(result.commit).to.include({ failed: 0, refused: 0 });
    expect(result.written).to.deep.equal({ crm: 4, groupware: 9 });

    const counts = crmIdCounts(world);
    for (const crmId of [...crmIds.filter((id) => id !== crmIds[10]), ...added])
      expect(counts.get(crmId), `${crmId} in Outlook`).to.equal(1);
    expect(counts.has(crmIds[10]), 'the contact taken out of the sync is gone from Outlook').to.equal(false);
    expect(world.side.ids()).to.have.length(31);
    expect(world.crmContactCount()).to.equal(32);
    const outlook = new Map(
      (await world.groupwareContacts()).map((contact) => [contact.ids.crmId!, contact]),
    );
    const crm = new Map((await world.crmContacts()).map((contact) => [contact.ids.crmId!, contact]));
    for (const crmId of crmIds.slice(0, 6)) expect(outlook.get(crmId)?.jobTitle).to.equal('Einkauf');
    for (const crmId of crmIds.slice(6, 10)) {
      expect(crm.get(crmId)?.jobTitle).to.equal('Vertrieb');
      expect(crm.get(crmId)?.phones.map((phone) => phone.number)).to.include('+49 160 1234567');
    }
    for (const crmId of added) expect(outlook.get(crmId)?.surname).to.match(/^Später-/);
    expect(crm.get(crmIds[10]!)?.surname, 'the CRM keeps the contact').to.equal('Sturm-10');

    // Nothing was left half done or counted twice: the next sync finds nothing to write.
    const next = await sync.sync();
    expect(next.written).to.deep.equal({ crm: 0, groupware: 0 });
  });
});
