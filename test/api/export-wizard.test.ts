import { expect } from 'chai';
import { ApiWorld, readEvents } from './support/api-world.js';

describe('The export wizard over HTTP (E1–E7)', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let weiss: string;
  let becker: string;

  before(async () => {
    api = await ApiWorld.open();
    const { world } = api;
    world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH', emailDomains: ['mueller-soehne.de'] });
    world.addPartner({ id: 'GP-0002', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
    weiss = world.addCrmContact({
      partnerId: 'GP-0001',
      firstName: 'Anna-Lena',
      lastName: 'Weiß',
      emails: [{ address: 'anna-lena.weiss@mueller-soehne.de', kind: 'work', primary: true }],
    }).id;
    becker = world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Jonas', lastName: 'Becker' }).id;
    world.addCrmContact({ partnerId: 'GP-0002', firstName: 'Maria', lastName: 'Schmidt' });
  });
  after(async () => api?.close());

  const createPlan = async (criteria: Record<string, unknown> = { partnerId: 'GP-0001' }) => {
    const created = await api.call('POST', '/export-plans', { criteria });
    expect(created.status, created.text).to.equal(201);
    return created.json();
  };

  it('answers a new plan with the contacts found and how many are selected', async () => {
    const { plan, counts } = await createPlan();
    expect(plan).to.include({ kind: 'export', status: 'draft' });
    expect(plan.summary).to.include({ found: 2, selected: 0, exportedBefore: 0 });
    expect(counts).to.include({ total: 2, 'selected:false': 2 });
    const page = (await api.get(`/plans/${plan.id}/items?limit=10`)).json();
    expect(page.total).to.equal(2);
    expect(page.items.map((item: { crmId: string }) => item.crmId)).to.have.members([weiss, becker]);
  });

  it('moves one, several and all items between the lists, and filters the pages by list', async () => {
    const { plan } = await createPlan();
    const all = await api.call('POST', `/plans/${plan.id}/selection`, { items: 'all', selected: true });
    expect(all.json().counts).to.include({ 'selected:true': 2 });
    const one = await api.call('POST', `/plans/${plan.id}/selection`, { items: [0], selected: false });
    expect(one.json().counts).to.include({ 'selected:true': 1, 'selected:false': 1 });
    const available = (await api.get(`/plans/${plan.id}/items?selected=false`)).json();
    expect(available.items.map((item: { seq: number }) => item.seq)).to.deep.equal([0]);
    const several = await api.call('POST', `/plans/${plan.id}/selection`, { items: [0, 1], selected: false });
    expect(several.json().counts).to.include({ 'selected:false': 2 });
  });

  it('commits to the vCard folder as a job whose progress a client receives as server-sent events', async () => {
    const { plan } = await createPlan();
    await api.call('POST', `/plans/${plan.id}/selection`, { items: 'all', selected: true });
    const started = await api.call('POST', `/plans/${plan.id}/commit`);
    expect(started.status).to.equal(202);
    expect(started.headers.location).to.equal(`/api/v1/jobs/${plan.id}`);
    const stream = await readEvents(`${api.host.url}/api/v1/jobs/${started.json().id}/events`);
    expect(stream.contentType).to.match(/^text\/event-stream/);
    const last = stream.events.at(-1)!;
    expect(last.event).to.equal('end');
    expect(last.data).to.include({ state: 'done' });
    expect(last.data.result).to.include({ exported: 2 });
    expect(api.world.cardFiles()).to.have.length(2);

    const job = (await api.get(`/jobs/${plan.id}`)).json();
    expect(job).to.include({ state: 'done', kind: 'export-commit' });
    const again = (await createPlan()).plan;
    expect(again.summary).to.include({ exportedBefore: 2, selected: 2 });
    const marked = (await api.get(`/plans/${again.id}/items?reason=exported-before`)).json();
    expect(marked.total).to.equal(2);
  });

  it('streams the vCard file of a vCard export option as the download, writing nothing to the folder', async () => {
    const before = api.world.cardFiles().length;
    const { plan } = await createPlan();
    const chosen = await api.call('PUT', `/plans/${plan.id}/export-option`, { exportOption: 'vcard-single' });
    expect(chosen.json().plan.options).to.include({ exportOption: 'vcard-single' });
    expect(chosen.json().delivery).to.equal('download');
    const refused = await api.call('POST', `/plans/${plan.id}/commit`);
    expect(refused.status).to.equal(409);
    expect(refused.json().message).to.contain('download');

    const download = await api.call('POST', `/plans/${plan.id}/download`);
    expect(download.status).to.equal(200);
    expect(download.headers['content-type']).to.match(/vcard/);
    expect(download.headers['content-disposition']).to.match(/attachment; filename\*=UTF-8''.+\.vcf/);
    expect(download.text.match(/BEGIN:VCARD/g)).to.have.length(2);
    expect(download.text).to.contain(`X-CRMSYNC-ID:${weiss}`);
    expect(download.trailers['x-crmsync-written']).to.equal('2');
    expect(api.world.cardFiles()).to.have.length(before);
    expect((await api.get(`/plans/${plan.id}`)).json().plan.status).to.equal('committed');
  });

  it('sends progress events while a larger commit works, ending with every item done', async () => {
    for (let n = 0; n < 200; n++)
      api.world.addCrmContact({ partnerId: 'GP-0002', firstName: `Person${n}`, lastName: 'Kaiser' });
    const { plan } = await createPlan({ partnerId: 'GP-0002', name: 'Kaiser' });
    await api.call('POST', `/plans/${plan.id}/selection`, { items: 'all', selected: true });
    const started = (await api.call('POST', `/plans/${plan.id}/commit`)).json();
    const stream = await readEvents(`${api.host.url}/api/v1/jobs/${started.id}/events`);
    const progress = stream.events.filter((event) => event.event === 'progress');
    expect(progress.length).to.be.greaterThan(0);
    expect(progress.every((event) => ['queued', 'running'].includes(event.data.state))).to.equal(true);
    const end = stream.events.at(-1)!;
    expect(end.data).to.deep.include({ state: 'done', progress: { done: 200, total: 200 } });
  });

  it('cancels a plan without writing anything, after which it can no longer be committed', async () => {
    const cards = api.world.cardFiles().map((name) => api.world.readCard(name));
    const { plan } = await createPlan({});
    await api.call('POST', `/plans/${plan.id}/selection`, { items: 'all', selected: true });
    const cancelled = await api.call('POST', `/plans/${plan.id}/cancel`);
    expect(cancelled.json().plan.status).to.equal('cancelled');
    const commit = await api.call('POST', `/plans/${plan.id}/commit`);
    expect(commit.status).to.equal(409);
    expect(commit.json()).to.include({ code: 'CRMSYNC_ERR_PLAN_STATE' });
    expect(api.world.cardFiles().map((name) => api.world.readCard(name))).to.deep.equal(cards);
  });

  it('says of each chosen option whether its plan ends in a download or a commit', async () => {
    const { plan } = await createPlan();
    const delivery = async (exportOption: string) =>
      (await api.call('PUT', `/plans/${plan.id}/export-option`, { exportOption })).json().delivery;
    expect(await delivery('vcard-outlook')).to.equal('download');
    expect(await delivery('vcard-outlook-folder')).to.equal('commit');
    expect(await delivery('vcard-file')).to.equal('commit');
  });

  it('refuses an export option nobody offers, naming it', async () => {
    const { plan } = await createPlan();
    const answer = await api.call('PUT', `/plans/${plan.id}/export-option`, { exportOption: 'fax' });
    expect(answer.status).to.equal(404);
    expect(answer.json()).to.deep.include({
      code: 'CRMSYNC_ERR_CONTRIBUTION_UNKNOWN',
      location: { field: 'exportOption' },
    });
  });
});
