import { mkdirSync, rmSync } from 'node:fs';
import { expect } from 'chai';
import { send } from '../host/support/send.js';
import { ApiWorld, readEvents } from './support/api-world.js';

describe('Jobs across a restart, and requests the schemas refuse', function () {
  this.timeout(60_000);
  let api: ApiWorld;

  before(async () => {
    api = await ApiWorld.open();
    api.world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH' });
    for (const lastName of ['Lange', 'Brandt', 'Vogel'])
      api.world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Eva', lastName });
  });
  after(async () => api?.close());

  const draftWithAllSelected = async () => {
    const { plan } = (await api.call('POST', '/export-plans', {})).json();
    await api.call('POST', `/plans/${plan.id}/selection`, { items: 'all', selected: true });
    return plan.id as string;
  };

  it('keeps a finished job readable, with its result, after a restart', async () => {
    const planId = await draftWithAllSelected();
    const started = (await api.call('POST', `/plans/${planId}/commit`)).json();
    await api.finished(started.id);
    await api.restart();
    const job = (await api.get(`/jobs/${planId}`)).json();
    expect(job).to.include({ state: 'done', kind: 'export-commit' });
    expect(job.result).to.include({ exported: 3 });
    const stream = await readEvents(`${api.host.url}/api/v1/jobs/${planId}/events`);
    expect(stream.events.map((event) => event.event)).to.deep.equal(['end']);
  });

  it('reports a job the host was running when it stopped as interrupted, and resumes it on a new commit', async () => {
    const planId = await draftWithAllSelected();
    // What a host that died mid-commit leaves in the store.
    await api.host.runtime.stateStore.plans.update(planId, {
      status: 'committing',
      summary: { job: { kind: 'export-commit', state: 'running', queuedAt: Date.now() } },
    });
    await api.restart();
    const interrupted = (await api.get(`/jobs/${planId}`)).json();
    expect(interrupted).to.include({ state: 'interrupted' });
    expect(interrupted.error.code).to.equal('CRMSYNC_ERR_JOB_INTERRUPTED');
    expect(interrupted.error.message).to.include('commit it again to finish it');
    const refused = await api.call('POST', `/plans/${planId}/cancel`);
    expect(refused.status, 'a commit begun is finished, not cancelled').to.equal(409);
    const resumed = await api.call('POST', `/plans/${planId}/commit`);
    expect(resumed.status).to.equal(202);
    const job = (await api.finished(planId)).json();
    expect(job).to.include({ state: 'done' });
    expect((await api.get(`/plans/${planId}`)).json().plan.status).to.equal('committed');
  });

  it('says of a plan whose build stopped with the host that it must be made again, and lets it be cancelled', async () => {
    // What a host that died while it built a plan leaves in the store.
    const plan = await api.host.runtime.services.plans.openExportPlan({});
    await api.host.runtime.stateStore.plans.update(plan.id, {
      summary: { job: { kind: 'export-plan', state: 'running', queuedAt: Date.now() } },
    });
    await api.restart();
    const job = (await api.get(`/jobs/${plan.id}`)).json();
    expect(job).to.include({ state: 'interrupted', kind: 'export-plan' });
    expect(job.error.message).to.include('cancel it and make the plan again');
    const cancelled = await api.call('POST', `/plans/${plan.id}/cancel`);
    expect(cancelled.status, cancelled.text).to.equal(200);
    expect(cancelled.json().plan.status).to.equal('cancelled');
  });

  it('reports each item a commit could not write, with its reason, and ends the event stream', async () => {
    api.world.addPartner({ id: 'GP-0002', name: 'Kaiser KG' });
    for (const lastName of ['Sommer', 'Winter', 'Herbst'])
      api.world.addCrmContact({ partnerId: 'GP-0002', firstName: 'Jan', lastName });
    const { plan } = (await api.call('POST', '/export-plans', { criteria: { partnerId: 'GP-0002' } })).json();
    const planId = plan.id as string;
    await api.call('POST', `/plans/${planId}/selection`, { items: 'all', selected: true });
    // Built while its folder is there: a folder that goes missing later is a share unmounted.
    await (await api.world.groupware()).health();
    rmSync(api.world.vcardFolder, { recursive: true, force: true });
    try {
      const started = (await api.call('POST', `/plans/${planId}/commit`)).json();
      const stream = await readEvents(`${api.host.url}/api/v1/jobs/${started.id}/events`);
      const end = stream.events.at(-1)!;
      expect(end.event).to.equal('end');
      const job = (await api.get(`/jobs/${planId}`)).json();
      expect(job).to.deep.equal(end.data);
      expect(job.state).to.equal('done');
      expect(job.result).not.to.have.property('job');
      expect(job.result.committed).to.deep.equal({ done: 0, failed: 3, refused: 0 });
      expect(job.result.notExported.map((item: { code: string }) => item.code)).to.deep.equal([
        'CRMSYNC_ERR_FOLDER_MISSING',
        'CRMSYNC_ERR_FOLDER_MISSING',
        'CRMSYNC_ERR_FOLDER_MISSING',
      ]);
    } finally {
      mkdirSync(api.world.vcardFolder, { recursive: true });
    }
  });

  it('answers the job that built a plan never committed, and 404 for a plan that does not exist', async () => {
    const { plan } = (await api.call('POST', '/export-plans', {})).json();
    const job = (await api.get(`/jobs/${plan.id}`)).json();
    expect(job).to.include({ kind: 'export-plan', state: 'done' });
    expect(job.result).to.include({ found: plan.summary.found });
    expect(job.progress).to.deep.equal({ done: plan.summary.found, total: plan.summary.found });
    expect((await api.get('/jobs/no-such-plan')).status).to.equal(404);
    const unknown = await api.get('/plans/no-such-plan');
    expect(unknown.status).to.equal(404);
    expect(unknown.json()).to.deep.equal({
      code: 'CRMSYNC_ERR_NOT_FOUND',
      message: 'there is no plan no-such-plan (record no-such-plan)',
      location: { recordId: 'no-such-plan' },
    });
    expect((await api.get('/plans/no-such-plan/items')).status).to.equal(404);
  });

  const refusals: [string, string, string, unknown, string][] = [
    [
      'a selection that is neither a list nor "all"',
      'POST',
      'selection',
      { items: 'some', selected: true },
      'body/items/0',
    ],
    ['a selection without saying which list', 'POST', 'selection', { items: [0] }, 'body/selected'],
    ['a negative item position', 'POST', 'selection', { items: [-1], selected: true }, 'body/items/0'],
    [
      'an export option that is not a name',
      'PUT',
      'export-option',
      { exportOption: {} },
      'body/exportOption',
    ],
  ];
  for (const [what, method, step, body, field] of refusals) {
    it(`refuses ${what} with 400 naming ${field}`, async () => {
      const planId = (await api.call('POST', '/export-plans', {})).json().plan.id;
      const answer = await api.call(method, `/plans/${planId}/${step}`, body);
      expect(answer.status).to.equal(400);
      expect(answer.json()).to.include({ code: 'CRMSYNC_ERR_REQUEST_INVALID' });
      expect(answer.json().location).to.deep.equal({ field });
    });
  }

  it('refuses a page size out of range and an unknown conflict policy, naming the field', async () => {
    const planId = (await api.call('POST', '/export-plans', {})).json().plan.id;
    const page = await api.get(`/plans/${planId}/items?limit=0`);
    expect(page.status).to.equal(400);
    expect(page.json().location).to.deep.equal({ field: 'querystring/limit' });
    const reason = await api.get(`/plans/${planId}/items?reason=bored`);
    expect(reason.status).to.equal(400);
    expect(reason.json().location).to.deep.equal({ field: 'querystring/reason' });
    const policy = await api.call('POST', '/sync-runs', { policy: 'loudest-wins' });
    expect(policy.status).to.equal(400);
    expect(policy.json().location).to.deep.equal({ field: 'body/policy' });
    const criteria = await api.call('POST', '/export-plans', { criteria: { city: '' } });
    expect(criteria.json().location).to.deep.equal({ field: 'body/criteria/city' });
  });

  it('refuses a body that is not JSON with 400 in the same shape', async () => {
    const answer = await send(`${api.host.url}/api/v1/export-plans`, {
      headers: { 'content-type': 'application/json' },
      body: '{"criteria":',
    });
    expect(answer.status).to.equal(400);
    expect(answer.json()).to.have.keys('code', 'message', 'location');
  });

  it('refuses a JSON body over the size limit with 413 in the same shape', async () => {
    const answer = await send(`${api.host.url}/api/v1/export-plans`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ criteria: { name: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(answer.status).to.equal(413);
    expect(answer.json()).to.include({ code: 'CRMSYNC_ERR_TOO_LARGE' });
  });
});
