import { expect } from 'chai';
import type { GroupwareSide } from '../engine/support/groupware/groupware-side.js';
import { groupwareKinds } from '../engine/support/groupware/groupware-side.js';
import { ApiWorld } from './support/api-world.js';

const accountNames = { vcard: 'two vCard folders', outlook: 'two Outlook mailboxes' } as const;

for (const kind of groupwareKinds) {
  describe(`Groupware accounts over HTTP: ${accountNames[kind]}`, function () {
    this.timeout(120_000);
    let api: ApiWorld;
    let first: GroupwareSide;
    let second: GroupwareSide;
    let firstId: string;
    let secondId: string;
    let kim: string;
    let lea: string;
    let max: string;

    before(async () => {
      api = await ApiWorld.open(kind, { accounts: 2 });
      first = api.world.side;
      second = api.world.side.others[0]!;
      api.world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH' });
      kim = api.world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Kim', lastName: 'Lange' }).id;
      lea = api.world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Lea',
        lastName: 'Sommer',
        groupwareSync: false,
      }).id;
      max = api.world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Max',
        lastName: 'Winter',
        groupwareSync: false,
      }).id;
    });
    after(async () => api?.close());

    const copiesIn = (side: GroupwareSide) => side.ids().map((id) => side.crmIdOf(id));
    const finished = async (answer: Awaited<ReturnType<ApiWorld['call']>>) => {
      expect(answer.status, answer.text).to.equal(202);
      const job = (await api.finished(answer.json().job?.id ?? answer.json().id)).json();
      expect(job.state, JSON.stringify(job.error)).to.equal('done');
    };

    it('lists the accounts, the default first, with their health, for a client to choose from', async () => {
      const answer = await api.get('/groupware/accounts');
      expect(answer.status, answer.text).to.equal(200);
      const own = answer
        .json()
        .accounts.filter((account: { connector: string }) => account.connector === first.connectorId);
      expect(own).to.have.length(2);
      expect(own.map((account: { default: boolean }) => account.default)).to.deep.equal([true, false]);
      expect(own.every((account: { health: { ok: boolean } }) => account.health.ok)).to.equal(true);
      firstId = own[0].id;
      secondId = own[1].id;
    });

    it('makes an export plan for the account named, and commits it into that account only', async () => {
      const made = await api.call('POST', '/export-plans', {
        criteria: { name: 'Sommer' },
        account: secondId,
      });
      expect(made.status, made.text).to.equal(201);
      expect(made.json().plan.accountId).to.equal(secondId);
      const planId = made.json().plan.id;
      await api.call('POST', `/plans/${planId}/selection`, { items: 'all', selected: true });
      await finished(await api.call('POST', `/plans/${planId}/commit`));
      expect(copiesIn(second)).to.deep.equal([lea]);
      expect(copiesIn(first)).to.deep.equal([]);
    });

    it('runs a sync of the account named, and lists the runs of one account', async () => {
      const started = await api.call('POST', '/sync-runs', { account: firstId });
      await finished(started);
      expect(started.json().plan.accountId).to.equal(firstId);
      // The CRM's sync flag is one per contact: the export to the other account turned Lea's on.
      expect(copiesIn(first)).to.have.members([kim, lea]);
      expect(copiesIn(second), 'the other account is not synced by this run').to.deep.equal([lea]);
      const runs = (await api.get(`/sync-runs?account=${encodeURIComponent(secondId)}`)).json().runs;
      expect(runs).to.deep.equal([]);
      const own = (await api.get(`/sync-runs?account=${encodeURIComponent(firstId)}`)).json().runs;
      expect(own.map((run: { id: string }) => run.id)).to.deep.equal([started.json().plan.id]);
    });

    it('adds a contact to the account the toggle names, and reads its state per account', async () => {
      const inSecond = `/crm/contacts/${max}/sync?account=${encodeURIComponent(secondId)}`;
      const added = await api.call('PUT', inSecond);
      expect(added.status, added.text).to.equal(200);
      expect(added.json()).to.include({ synchronised: true, accountId: secondId });
      expect(copiesIn(second)).to.have.members([lea, max]);
      expect(copiesIn(first)).to.not.include(max);
      const inDefault = (await api.get(`/crm/contacts/${max}/sync`)).json();
      expect(inDefault).to.include({ synchronised: false, accountId: firstId });
      expect((await api.get(inSecond)).json()).to.include({ synchronised: true, accountId: secondId });
    });

    it('answers 409 for an account a run holds and still serves the other account', async () => {
      await api.world.store.leases.acquire(secondId, 'another-host', 60_000);
      try {
        const busy = await api.call('POST', '/sync-runs', { account: secondId });
        expect(busy.status, busy.text).to.equal(409);
        expect(busy.json().code).to.equal('CRMSYNC_ERR_ACCOUNT_BUSY');
        await finished(await api.call('POST', '/sync-runs', { account: firstId }));
      } finally {
        await api.world.store.leases.release(secondId, 'another-host');
      }
    });

    it('answers 404 naming the accounts there are for an account nobody configured', async () => {
      const answer = await api.call('POST', '/import-plans', { account: `${first.connectorId}:nirgendwo` });
      expect(answer.status, answer.text).to.equal(404);
      expect(answer.json().code).to.equal('CRMSYNC_ERR_ACCOUNT_UNKNOWN');
      expect(answer.json().message).to.include(secondId);
      expect(answer.json().location).to.deep.equal({ field: 'account' });
    });
  });
}
