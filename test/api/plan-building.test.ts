import { expect } from 'chai';
import { seedDemoData } from '../../emulators/crm/index.js';
import { send } from '../host/support/send.js';
import { ApiWorld, readEvents } from './support/api-world.js';

const contacts = 1_200;
const card = (...lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join('\r\n');

describe('Plans built as jobs, answered before they are done', function () {
  this.timeout(120_000);
  let api: ApiWorld;

  before(async () => {
    api = await ApiWorld.open();
    seedDemoData(api.world.crmServer.store, { seed: 7, partners: 20, contacts, photoEvery: 0 });
  });
  after(async () => api?.close());

  const respondAsync = { prefer: 'respond-async' };

  it('answers a large export plan at once, building, with the job whose events count contacts read and classified', async () => {
    // The CRM asks to be asked again in a second: the plan is still building when a client follows it.
    api.world.crmServer.faults.enqueue({ status: 429, retryAfter: '1', pathPrefix: '/api/v1/contacts' });
    const created = await send(`${api.host.url}/api/v1/export-plans`, {
      headers: { 'content-type': 'application/json', ...respondAsync },
      body: '{}',
    });
    expect(created.status, created.text).to.equal(202);
    const { plan, job } = created.json();
    expect(created.headers.location).to.equal(`/api/v1/jobs/${plan.id}`);
    expect(plan).to.include({ kind: 'export', status: 'building' });
    expect(job).to.include({ id: plan.id, kind: 'export-plan' });
    expect(job.state).to.be.oneOf(['queued', 'running']);

    // A plan being built is read, never edited nor committed.
    const select = await api.call('POST', `/plans/${plan.id}/selection`, { items: 'all', selected: true });
    expect(select.status).to.equal(409);
    expect(select.json()).to.include({ code: 'CRMSYNC_ERR_PLAN_STATE' });
    expect((await api.call('POST', `/plans/${plan.id}/commit`)).status).to.equal(409);

    const { events } = await readEvents(`${api.host.url}/api/v1/jobs/${plan.id}/events`);
    const progress = events
      .filter((event) => event.event === 'progress' && event.data.progress)
      .map((event) => event.data.progress);
    const totals = progress.map((step) => step.total);
    expect(new Set(totals).size, JSON.stringify(progress)).to.be.greaterThan(2);
    expect(totals).to.deep.equal([...totals].sort((a, b) => a - b));
    expect(progress.every((step) => step.done <= step.total)).to.equal(true);
    const end = events.at(-1)!;
    expect(end.event).to.equal('end');
    expect(end.data).to.deep.include({ state: 'done', progress: { done: contacts, total: contacts } });
    expect(end.data.result).to.include({ found: contacts });

    const built = (await api.get(`/plans/${plan.id}`)).json();
    expect(built.plan).to.include({ status: 'draft' });
    expect(built.counts).to.include({ total: contacts });
    const edited = await api.call('POST', `/plans/${plan.id}/selection`, { items: [0], selected: true });
    expect(edited.status).to.equal(200);
  });

  it('answers 201 with the plan itself when it is built within the wait the client prefers', async () => {
    const created = await send(`${api.host.url}/api/v1/import-plans`, {
      headers: { 'content-type': 'application/json', prefer: 'wait=30' },
      body: '{}',
    });
    expect(created.status, created.text).to.equal(201);
    expect(created.headers.location).to.equal(`/api/v1/plans/${created.json().plan.id}`);
    expect(created.json().plan.status).to.equal('draft');
  });

  it('answers a plan that cannot be built with why, and keeps it as failed', async () => {
    api.world.crmServer.faults.enqueue({ status: 400, pathPrefix: '/api/v1/contacts' });
    const answer = await api.call('POST', '/export-plans', { criteria: { city: 'Köln' } });
    expect(answer.status).to.equal(422);
    expect(answer.json()).to.include({ code: 'CRMSYNC_ERR_CRM_REJECTED' });
    expect(answer.json().location).to.include({ endpoint: 'GET /contacts' });
    // The error names the plan it left failed.
    const recordId = answer.json().location.recordId;
    const failed = (await api.get(`/plans/${recordId}`)).json();
    expect(failed.plan).to.include({ status: 'failed' });
    expect((await api.get(`/jobs/${recordId}`)).json()).to.include({ kind: 'export-plan', state: 'failed' });
  });

  it('builds an import plan from a form upload after answering, naming problems by the form file name', async () => {
    const form = new FormData();
    const text =
      card('N:Lorenz;Eva;;;', 'EMAIL:eva@lorenz.example') +
      card('N:Kaputt;Karl;;;', 'PHOTO;ENCODING=b;TYPE=JPEG:@@@') +
      card('N:Vogt;Max;;;', 'EMAIL:max@vogt.example');
    form.append('file', new Blob([text], { type: 'text/vcard' }), 'aus-dem-formular.vcf');
    const request = new Request('http://form.invalid/', { method: 'POST', body: form });
    const created = await send(`${api.host.url}/api/v1/import-plans/upload`, {
      headers: { 'content-type': request.headers.get('content-type')!, ...respondAsync },
      body: new Uint8Array(await request.arrayBuffer()),
    });
    expect(created.status, created.text).to.equal(202);
    const { plan } = created.json();
    expect(plan.options).to.include({ source: 'file', fileName: 'aus-dem-formular.vcf' });
    const job = (await api.finished(plan.id)).json();
    expect(job).to.include({ kind: 'import-plan', state: 'done' });
    const built = (await api.get(`/plans/${plan.id}`)).json().plan;
    expect(built.summary).to.include({ importable: 2, problemCount: 1 });
    expect(built.summary.problems[0].location).to.include({ file: 'aus-dem-formular.vcf', card: 2 });
  });
});
