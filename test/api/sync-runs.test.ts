import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Contact } from '../../core/index.js';
import { ApiWorld } from './support/api-world.js';

describe('Sync runs and the contact toggle over HTTP (S1, S2)', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  const crmIds: string[] = [];

  before(async () => {
    api = await ApiWorld.open();
    api.world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH' });
    for (let n = 0; n < 10; n++)
      crmIds.push(
        api.world.addCrmContact({
          partnerId: 'GP-0001',
          firstName: `Kim${n}`,
          lastName: 'Lange',
          jobTitle: 'Einkauf',
        }).id,
      );
  });
  after(async () => api?.close());

  const copyOf = async (crmId: string) => (await api.world.groupware()).findByCrmId(crmId);
  const changeCopy = async (crmId: string, change: Partial<Contact>) => {
    const groupware = await api.world.groupware();
    const copy = (await copyOf(crmId))!;
    for await (const outcome of groupware.apply([
      {
        kind: 'update',
        key: `test-change-${crmId}-${Date.now()}`,
        id: copy.ids.groupwareId!,
        expectedVersion: copy.ids.groupwareVersion!,
        contact: { ...copy, ...change },
      },
    ]))
      if (!outcome.ok) throw new Error(outcome.problem.message);
  };
  const runSync = async (body: Record<string, unknown> = {}) => {
    const started = await api.call('POST', '/sync-runs', body);
    expect(started.status, started.text).to.equal(202);
    const job = (await api.finished(started.json().job.id)).json();
    expect(job.state, JSON.stringify(job.error)).to.equal('done');
    return started.json().plan.id as string;
  };

  it('shows what a dry run would do and writes nothing', async () => {
    const answer = await api.call('POST', '/sync-runs', { dryRun: true });
    expect(answer.status).to.equal(201);
    expect(answer.json().plan).to.include({ kind: 'sync', status: 'draft' });
    expect(answer.json().counts).to.include({ 'action:create': 10 });
    expect(api.world.cardFiles()).to.have.length(0);
  });

  it('runs a sync as a job, and lists it in the history with its result', async () => {
    const planId = await runSync();
    expect(api.world.cardFiles()).to.have.length(10);
    const run = (await api.get(`/sync-runs/${planId}`)).json();
    expect(run.plan.status).to.equal('committed');
    expect(run.plan.summary.job).to.include({ state: 'done' });
    const history = (await api.get('/sync-runs')).json();
    expect(history.runs.map((plan: { id: string }) => plan.id)).to.include(planId);
    const why = (await api.get(`/sync-runs/${planId}/items?limit=1`)).json();
    expect(why.items[0]).to.include({ action: 'create' });
    expect(why.items[0].reason).to.be.a('string');
  });

  it('shows a field both sides changed with both values side by side', async () => {
    const crmId = crmIds[0]!;
    await api.world.changeCrmContact(crmId, { jobTitle: 'Leitung Einkauf' });
    await changeCopy(crmId, { jobTitle: 'Einkaufsleiterin' });
    const planId = await runSync();
    const conflicts = (await api.get(`/sync-runs/${planId}/conflicts`)).json();
    expect(conflicts.total).to.equal(1);
    expect(conflicts.items[0].changes.conflicts).to.deep.equal([
      {
        field: 'jobTitle',
        baseline: 'Einkauf',
        crm: 'Leitung Einkauf',
        groupware: 'Einkaufsleiterin',
        resolvedTo: 'crm',
      },
    ]);
    expect((await copyOf(crmId))?.jobTitle).to.equal('Leitung Einkauf');
    const why = (await api.get(`/sync-runs/${planId}/contacts/${crmId}`)).json();
    expect(why).to.include({ crmId, reason: 'conflict' });
    const untouched = await api.get(`/sync-runs/${planId}/contacts/${crmIds[5]}`);
    expect(untouched.status).to.equal(404);
    expect(untouched.json().message).to.contain('nothing changed on either side');
  });

  it('undoes a committed run, putting back what it wrote', async () => {
    const crmId = crmIds[1]!;
    await api.world.changeCrmContact(crmId, { jobTitle: 'Vertrieb' });
    const planId = await runSync();
    expect((await copyOf(crmId))?.jobTitle).to.equal('Vertrieb');
    const undone = await api.call('POST', `/sync-runs/${planId}/undo`);
    expect(undone.status, undone.text).to.equal(200);
    expect(undone.json().restored).to.be.greaterThan(0);
    expect((await copyOf(crmId))?.jobTitle).to.equal('Einkauf');
    expect((await api.get(`/sync-runs/${planId}`)).json().plan.status).to.equal('undone');
  });

  it('finishes a run a restart broke off before it plans the next one', async () => {
    const crmId = crmIds[3]!;
    await api.world.changeCrmContact(crmId, { jobTitle: 'Lager' });
    const broken = (await api.call('POST', '/sync-runs', { dryRun: true })).json().plan.id;
    // What a host that died mid-commit leaves in the store.
    await api.host.runtime.stateStore.plans.update(broken, { status: 'committing' });
    await api.restart();
    await runSync();
    expect((await api.get(`/jobs/${broken}`)).json()).to.include({ state: 'done', kind: 'sync-resumed' });
    expect((await api.get(`/sync-runs/${broken}`)).json().plan.status).to.equal('committed');
    expect((await copyOf(crmId))?.jobTitle).to.equal('Lager');
  });

  it('stops a run that would delete too much until a person rejects or confirms it', async () => {
    const gone = crmIds.slice(7);
    for (const crmId of gone)
      unlinkSync(join(api.world.vcardFolder, (await copyOf(crmId))!.ids.groupwareId!));
    const stopped = await api.call('POST', '/sync-runs', {});
    expect(stopped.status).to.equal(201);
    expect(stopped.json().plan.status).to.equal('awaiting-confirmation');
    expect(stopped.json().plan.summary.guard[0]).to.match(/3 of 10 linked contacts/);
    const rejected = await api.call('POST', `/sync-runs/${stopped.json().plan.id}/reject`);
    expect(rejected.json().plan.status).to.equal('cancelled');

    const again = (await api.call('POST', '/sync-runs', {})).json();
    expect(again.plan.status).to.equal('awaiting-confirmation');
    const confirmed = await api.call('POST', `/sync-runs/${again.plan.id}/confirm`);
    expect(confirmed.status).to.equal(202);
    expect((await api.finished(confirmed.json().id)).json()).to.include({ state: 'done' });
    for (const crmId of gone) {
      const status = (await api.get(`/crm/contacts/${crmId}/sync`)).json();
      expect(status).to.include({ synchronised: false, syncFlag: false });
    }
  });

  it('reads, removes and adds a contact in the groupware with the toggle (S2)', async () => {
    const crmId = crmIds[2]!;
    expect((await api.get(`/crm/contacts/${crmId}/sync`)).json()).to.include({
      synchronised: true,
      syncFlag: true,
    });

    const removed = await api.call('DELETE', `/crm/contacts/${crmId}/sync`);
    expect(removed.status, removed.text).to.equal(200);
    expect(removed.json()).to.include({ synchronised: false, syncFlag: false });
    expect(await copyOf(crmId)).to.equal(undefined);
    expect((await api.call('DELETE', `/crm/contacts/${crmId}/sync`)).json()).to.include({
      synchronised: false,
    });

    const added = await api.call('PUT', `/crm/contacts/${crmId}/sync`);
    expect(added.status, added.text).to.equal(200);
    expect(added.json()).to.include({ synchronised: true, syncFlag: true });
    expect((await copyOf(crmId))?.givenName).to.equal('Kim2');
    const cards = api.world.cardFiles().length;
    await api.call('PUT', `/crm/contacts/${crmId}/sync`);
    expect(api.world.cardFiles()).to.have.length(cards);

    // The next sync takes the contact as linked: it neither copies it again nor unlinks it.
    const next = (await api.call('POST', '/sync-runs', { dryRun: true })).json().plan.id;
    const why = await api.get(`/sync-runs/${next}/contacts/${crmId}`);
    if (why.status === 200) expect(why.json().action).not.to.be.oneOf(['create', 'unlink', 'delete']);
    else expect(why.status).to.equal(404);
    await api.call('POST', `/sync-runs/${next}/reject`);
  });

  it('answers one CRM contact for its contact view, and 404 for an id the CRM does not have', async () => {
    const crmId = crmIds[2]!;
    const contact = await api.get(`/crm/contacts/${encodeURIComponent(crmId)}`);
    expect(contact.status, contact.text).to.equal(200);
    expect(contact.json()).to.include({ givenName: 'Kim2' });
    expect(contact.json().ids.crmId).to.equal(crmId);
    const missing = await api.get('/crm/contacts/AP-NOPE');
    expect(missing.status).to.equal(404);
    expect(missing.json()).to.deep.include({
      code: 'CRMSYNC_ERR_NOT_FOUND',
      location: { recordId: 'AP-NOPE' },
    });
  });

  it('refuses to toggle a contact while a run holds its account', async () => {
    const crmId = crmIds[4]!;
    const { accountId } = (await api.get(`/crm/contacts/${crmId}/sync`)).json();
    const leases = api.host.runtime.stateStore.leases;
    await leases.acquire(accountId, 'a sync run', 60_000);
    try {
      const answer = await api.call('DELETE', `/crm/contacts/${crmId}/sync`);
      expect(answer.status).to.equal(409);
      expect(answer.json()).to.include({ code: 'CRMSYNC_ERR_ACCOUNT_BUSY' });
      expect(await copyOf(crmId)).not.to.equal(undefined);
    } finally {
      await leases.release(accountId, 'a sync run');
    }
    expect((await api.call('DELETE', `/crm/contacts/${crmId}/sync`)).status).to.equal(200);
  });

  it('answers 404 for a contact the CRM does not have, and for a plan that is no sync run', async () => {
    const unknown = await api.get('/crm/contacts/AP-0000000/sync');
    expect(unknown.status).to.equal(404);
    expect(unknown.json()).to.include({ code: 'CRMSYNC_ERR_NOT_FOUND' });
    const exportPlan = (await api.call('POST', '/export-plans', {})).json().plan;
    expect((await api.get(`/sync-runs/${exportPlan.id}`)).status).to.equal(404);
  });
});
