import { expect } from 'chai';
import { send } from '../host/support/send.js';
import { ApiWorld } from './support/api-world.js';

const card = (...lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join('\r\n');

describe('The import wizard over HTTP (I1–I10)', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let weiss: string;

  before(async () => {
    api = await ApiWorld.open();
    const { world } = api;
    world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH', emailDomains: ['mueller-soehne.de'] });
    world.addPartner({ id: 'GP-0002', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
    weiss = world.addCrmContact({
      partnerId: 'GP-0001',
      firstName: 'Anna',
      lastName: 'Weiß',
      emails: [{ address: 'anna.weiss@mueller-soehne.de', kind: 'work' }],
    }).id;
  });
  after(async () => api?.close());

  const itemOf = async (planId: string, file: string) =>
    (await api.get(`/plans/${planId}/items`))
      .json()
      .items.find((i: { groupwareId: string }) => i.groupwareId === file);

  it('answers an import with nothing to import as information, not as an error (I3)', async () => {
    const answer = await api.call('POST', '/import-plans', {});
    expect(answer.status).to.equal(201);
    expect(answer.json().info).to.equal('There are no contacts without a CRM id to import.');
    expect(answer.json().plan.summary).to.include({ importable: 0 });
  });

  describe('from the vCard folder in use', () => {
    let planId: string;
    before(async () => {
      api.world.writeCard(
        'email-case.vcf',
        'N:Weiss;Anna;;;',
        'EMAIL;TYPE=WORK:ANNA.WEISS@Mueller-Soehne.DE',
      );
      api.world.writeCard('kaiser.vcf', 'N:Kaiser;Tom;;;', 'EMAIL;TYPE=WORK:tom.kaiser@kaiser.de');
      api.world.writeCard('neumann.vcf', 'N:Neumann;Lena;;;', 'EMAIL;TYPE=WORK:lena@neumann-design.de');
      api.world.writeCard('berg.vcf', 'N:Berg;Ole;;;', 'EMAIL;TYPE=WORK:ole@berg-bau.de');
      const created = await api.call('POST', '/import-plans', { source: 'groupware' });
      expect(created.status, created.text).to.equal(201);
      planId = created.json().plan.id;
      expect(created.json().plan.summary).to.include({ importable: 4, sure: 1, noPartner: 2, selected: 1 });
    });

    it('shows each duplicate with the rule, the CRM contact and the values compared (I6)', async () => {
      const sure = (await api.get(`/plans/${planId}/items?verdict=sure`)).json();
      expect(sure.total).to.equal(1);
      const finding = sure.items[0].duplicate.findings[0];
      expect(finding).to.include({ ruleId: 'sure-email', crmId: weiss });
      expect(Object.keys(finding.evidence)).not.to.be.empty;
    });

    it('shows the pre-assigned partner with its reason (I5)', async () => {
      const kaiser = await itemOf(planId, 'kaiser.vcf');
      expect(kaiser.partner).to.deep.include({
        partner: { id: 'GP-0002', name: 'Kaiser KG' },
        by: 'resolver',
        resolverId: 'email-domain',
      });
      expect(kaiser.partner.reason).to.contain('kaiser.de');
    });

    it('finds business partners by name for the user to choose from (I5)', async () => {
      const answer = (await api.get('/crm/partners?name=Kaiser')).json();
      expect(answer.partners.map((p: { id: string }) => p.id)).to.deep.equal(['GP-0002']);
      expect(answer).to.include({ complete: true, problemCount: 0 });
    });

    it('refuses to tick a sure duplicate, saying which item and why (I7)', async () => {
      const duplicate = await itemOf(planId, 'email-case.vcf');
      const answer = await api.call('POST', `/plans/${planId}/selection`, {
        items: [duplicate.seq],
        selected: true,
      });
      expect(answer.status).to.equal(409);
      expect(answer.json()).to.include({ code: 'CRMSYNC_ERR_SURE_DUPLICATE' });
      expect(answer.json().message).to.contain(`item ${duplicate.seq}`);
    });

    it('refuses a partner the CRM does not have', async () => {
      const neumann = await itemOf(planId, 'neumann.vcf');
      const answer = await api.call('PUT', `/plans/${planId}/items/${neumann.seq}/partner`, {
        partnerId: 'GP-9999',
      });
      expect(answer.status).to.equal(404);
      expect(answer.json().location).to.deep.equal({ recordId: 'GP-9999' });
    });

    it('imports the ticked contacts and says why each other ticked one was not (I5, I8)', async () => {
      const neumann = await itemOf(planId, 'neumann.vcf');
      const assigned = await api.call('PUT', `/plans/${planId}/items/${neumann.seq}/partner`, {
        partnerId: 'GP-0001',
      });
      expect(assigned.json().partner).to.deep.include({
        by: 'user',
        partner: { id: 'GP-0001', name: 'Müller & Söhne GmbH' },
      });
      const berg = await itemOf(planId, 'berg.vcf');
      await api.call('POST', `/plans/${planId}/selection`, {
        items: [neumann.seq, berg.seq],
        selected: true,
      });
      const before = api.world.crmContactCount();

      const started = await api.call('POST', `/plans/${planId}/commit`);
      expect(started.status).to.equal(202);
      const job = (await api.finished(started.json().id)).json();
      expect(job.state).to.equal('done');
      expect(job.result.imported).to.equal(2);
      expect(job.result.notImported).to.have.length(1);
      expect(job.result.notImported[0]).to.include({ seq: berg.seq, code: 'CRMSYNC_ERR_NO_PARTNER' });
      expect(api.world.crmContactCount()).to.equal(before + 2);
      const refused = (await api.get(`/plans/${planId}/items?outcome=refused`)).json();
      expect(refused.items.map((i: { groupwareId: string }) => i.groupwareId)).to.deep.equal(['berg.vcf']);
    });
  });

  it('makes a plan from an uploaded contact file, read as a raw body', async () => {
    const body =
      card('N:Lorenz;Eva;;;', 'EMAIL:eva@kaiser.de') + card('N:Vogt;Max;;;', 'EMAIL:max@nowhere.example');
    const answer = await send(`${api.host.url}/api/v1/import-plans/upload?fileName=kontakte.vcf`, {
      headers: { 'content-type': 'text/vcard' },
      body,
    });
    expect(answer.status, answer.text).to.equal(201);
    expect(answer.json().plan.options).to.include({ source: 'file', fileName: 'kontakte.vcf' });
    expect(answer.json().plan.summary).to.include({ importable: 2, noPartner: 1 });
  });

  it('refuses an upload that does not name its file, and one larger than the upload limit', async () => {
    const unnamed = await send(`${api.host.url}/api/v1/import-plans/upload`, { body: card('N:A;B;;;') });
    expect(unnamed.status).to.equal(400);
    expect(unnamed.json().location).to.deep.equal({ field: '?fileName' });
    const limit = api.host.runtime.config.host.limits.uploadBytes;
    const oversize = await send(`${api.host.url}/api/v1/import-plans/upload?fileName=x.vcf`, {
      headers: { 'content-length': String(limit + 1) },
      body: 'x',
    });
    expect(oversize.status).to.equal(413);
    expect(oversize.json()).to.include({ code: 'CRMSYNC_ERR_TOO_LARGE' });
  });
});
