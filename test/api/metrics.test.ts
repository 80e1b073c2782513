import { expect } from 'chai';
import { send } from '../host/support/send.js';
import { ApiWorld } from './support/api-world.js';

describe('Metrics for Prometheus', function () {
  this.timeout(60_000);
  let api: ApiWorld;

  before(async () => {
    api = await ApiWorld.open();
    api.world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH' });
    for (const lastName of ['Lange', 'Brandt'])
      api.world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Eva', lastName });
  });
  after(async () => api?.close());

  it('counts requests by route pattern, errors by code, and ended jobs with their items', async () => {
    const { plan } = (await api.call('POST', '/export-plans', {})).json();
    await api.call('POST', `/plans/${plan.id}/selection`, { items: 'all', selected: true });
    await api.finished((await api.call('POST', `/plans/${plan.id}/commit`)).json().id);
    await api.get('/plans/no-such-plan');

    const answer = await send(`${api.host.url}/metrics`);
    expect(answer.status).to.equal(200);
    expect(answer.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
    const lines = answer.text.split('\n');
    expect(lines).to.include(
      'crmsync_http_requests_total{method="POST",route="/api/v1/export-plans",status="201"} 1',
    );
    expect(lines).to.include('crmsync_errors_total{code="CRMSYNC_ERR_NOT_FOUND"} 1');
    expect(lines).to.include('crmsync_jobs_total{kind="export-commit",state="done"} 1');
    expect(lines).to.include('crmsync_job_items_total{kind="export-commit"} 2');
    expect(lines).to.include('crmsync_job_duration_seconds_count{kind="export-commit"} 1');
    expect(answer.text).not.to.contain(plan.id);
  });
});
