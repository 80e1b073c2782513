import { expect } from 'chai';
import type { GraphServer } from '../../emulators/graph/index.js';
import type { OutlookSide } from '../engine/support/groupware/outlook-side.js';
import { SyncHarness } from './support/sync-harness.js';

describe('Syncing with Outlook after its delta token has expired', function () {
  this.timeout(60_000);
  let harness: SyncHarness;
  let crmIds: string[];
  let server: GraphServer;

  beforeEach(async () => {
    // Ten linked contacts, so that one deletion stays within the share allowed without confirmation.
    ({ harness, crmIds } = await SyncHarness.startLinked(10, 'outlook'));
    server = (harness.side as OutlookSide).server;
  });
  afterEach(async () => harness.close());

  /** Outlook's copies by the CRM id each carries, read from the mailbox itself. */
  function copiesByCrmId(): Map<string | undefined, string[]> {
    const copies = new Map<string | undefined, string[]>();
    for (const id of harness.side.ids()) {
      const crmId = harness.side.crmIdOf(id);
      copies.set(crmId, [...(copies.get(crmId) ?? []), id]);
    }
    return copies;
  }

  it('reads Outlook whole when its delta token has expired, syncs what changed both ways, and duplicates nothing', async () => {
    const [anna, ben] = crmIds;
    await harness.side.change(copiesByCrmId().get(anna)![0]!, { jobTitle: 'Vertrieb' });
    await harness.changeCrm(ben!, (contact) => ({ ...contact, jobTitle: 'Leitung Einkauf' }));
    // As when Outlook evicts its sync states: every delta link handed out so far is unknown to it.
    server.deltaTokens.expireAll();

    const result = await harness.sync();
    expect(result.plan.status).to.equal('committed');
    expect(result.plan.summary.read, 'every Outlook contact read once more').to.have.property(
      'groupware',
      10,
    );
    expect(result.written).to.deep.equal({ crm: 1, groupware: 1 });
    expect((await harness.crm.getContact(anna!))?.jobTitle).to.equal('Vertrieb');
    expect((await harness.copyOf(ben!))?.jobTitle).to.equal('Leitung Einkauf');

    const copies = copiesByCrmId();
    expect(harness.side.ids()).to.have.length(10);
    for (const crmId of crmIds) expect(copies.get(crmId), `copies of ${crmId}`).to.have.length(1);
    expect(harness.server.store.countContacts(), 'the CRM gained nothing').to.equal(10);
    expect(await harness.store.links.count(harness.targets.accountId)).to.equal(10);
  });

  it('keeps a fresh delta token after the full read, so the next sync reads only changes again', async () => {
    server.deltaTokens.expireAll();
    await harness.sync();
    const [anna] = crmIds;
    await harness.side.change(copiesByCrmId().get(anna)![0]!, { notes: 'Rückruf erbeten' });

    const next = await harness.sync();
    expect(next.plan.summary.read).to.deep.equal({ crm: 0, groupware: 1 });
    expect(next.written).to.deep.equal({ crm: 1, groupware: 0 });
    expect((await harness.crm.getContact(anna!))?.notes).to.equal('Rückruf erbeten');
    const quiet = await harness.sync();
    expect(quiet.plan.summary.read).to.deep.equal({ crm: 0, groupware: 0 });
    expect(quiet.written).to.deep.equal({ crm: 0, groupware: 0 });
  });

  it('notices a copy a person deleted in Outlook while the delta token was expired, by its absence from the full read', async () => {
    const [anna] = crmIds;
    harness.side.remove(copiesByCrmId().get(anna)![0]!);
    server.deltaTokens.expireAll();

    const result = await harness.sync();
    const [item] = (
      await harness.store.plans.page(result.plan.id, { filter: { reason: 'deleted-in-groupware' } })
    ).items;
    expect(item?.crmId).to.equal(anna);
    const crm = await harness.crm.getContact(anna!);
    expect(crm?.surname, 'the CRM keeps the contact').to.match(/^Weiß-/);
    expect(crm?.groupwareSync).to.equal(false);
    expect(copiesByCrmId().has(anna), 'and Outlook does not get it back').to.equal(false);
    expect(harness.side.ids()).to.have.length(9);
  });

  it('creates a contact the CRM added while the delta token was expired in Outlook once, and once only', async () => {
    const added = (await harness.addCrmContact()).ids.crmId!;
    server.deltaTokens.expireAll();

    const result = await harness.sync();
    expect(result.written).to.deep.equal({ crm: 0, groupware: 1 });
    // The copy just created is in the next full read too; it must be taken for the CRM's, not a new one.
    server.deltaTokens.expireAll();
    const again = await harness.sync();
    expect(again.written).to.deep.equal({ crm: 0, groupware: 0 });
    expect(copiesByCrmId().get(added)).to.have.length(1);
    expect(harness.side.ids()).to.have.length(11);
    expect(harness.server.store.countContacts()).to.equal(11);
  });
});
