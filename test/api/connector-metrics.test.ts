import { expect } from 'chai';
import type { OutlookSide } from '../engine/support/groupware/outlook-side.js';
import { send } from '../host/support/send.js';
import { ApiWorld } from './support/api-world.js';

type Samples = Map<string, number>;

/** The samples of a Prometheus text answer, by series (name and labels as written). */
async function samples(api: ApiWorld): Promise<Samples> {
  const answer = await send(`${api.host.url}/metrics`);
  expect(answer.status).to.equal(200);
  return new Map(
    answer.text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const at = line.lastIndexOf(' ');
        return [line.slice(0, at), Number(line.slice(at + 1))] as const;
      }),
  );
}

/** How much each series grew from `before` to `after`. */
const grown = (before: Samples, after: Samples, series: string) =>
  (after.get(series) ?? 0) - (before.get(series) ?? 0);

const graph = 'plugin="outlook-graph",service="graph"';
const crm = 'plugin="crm-rest",service="crm"';

describe('Metrics of the requests connectors send out', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let outlook: OutlookSide;

  before(async () => {
    api = await ApiWorld.open('outlook');
    outlook = api.world.side as OutlookSide;
    api.world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH' });
    for (let n = 0; n < 12; n++)
      api.world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Eva', lastName: `Kontakt${n}` });
  });
  after(async () => api?.close());

  it('counts the Graph requests of an export into a throttling mailbox by status class, its 429s and durations', async () => {
    const before = await samples(api);
    const crmRequestsBefore = api.world.crmServer.faults.requests.length;
    outlook.server.resetStats();
    // A mailbox that takes four requests a second, and says so only by answering 429.
    outlook.server.throttling.options = {
      ...outlook.server.throttling.options,
      requestsPerWindow: 4,
      windowMs: 1000,
      rateLimitHeaders: false,
    };

    const { plan } = (await api.call('POST', '/export-plans', {})).json();
    await api.call('POST', `/plans/${plan.id}/selection`, { items: 'all', selected: true });
    const job = (await api.finished((await api.call('POST', `/plans/${plan.id}/commit`)).json().id)).json();
    expect(job.state, JSON.stringify(job.error)).to.equal('done');
    const after = await samples(api);
    const { stats } = outlook.server;

    const count = (series: string, statusClass: string, inBatch: boolean) =>
      grown(
        before,
        after,
        `crmsync_connector_requests_total{${series},status_class="${statusClass}",in_batch="${inBatch}"}`,
      );
    const all = (series: string, inBatch: boolean) =>
      ['2xx', '3xx', '4xx', '5xx', 'none'].reduce((sum, c) => sum + count(series, c, inBatch), 0);
    const roundTrips = all(graph, false);
    const throttled = grown(before, after, `crmsync_connector_throttled_total{${graph}}`);
    // Every HTTP request that reached Graph is counted once, retries included; tokens are not Graph requests.
    expect(roundTrips).to.equal(stats.roundTrips);
    expect(count(graph, '2xx', false)).to.be.greaterThan(0);
    // Inside batches each request has its answer; Graph throttles them one by one.
    expect(all(graph, true)).to.be.greaterThan(0);
    expect(throttled, 'the throttling bit').to.be.greaterThan(0);
    expect(throttled).to.equal(stats.throttled);
    expect(count(graph, '4xx', false) + count(graph, '4xx', true)).to.be.at.least(throttled);
    expect(grown(before, after, `crmsync_connector_request_duration_seconds_count{${graph}}`)).to.equal(
      roundTrips,
    );
    expect(
      grown(before, after, `crmsync_connector_request_duration_seconds_sum{${graph}}`),
    ).to.be.greaterThan(0);

    // The CRM connector reports through the same port: its requests are counted alike.
    expect(all(crm, true)).to.equal(0);
    expect(all(crm, false)).to.equal(api.world.crmServer.faults.requests.length - crmRequestsBefore);
    expect(after.get(`crmsync_connector_throttled_total{${crm}}`)).to.equal(0);
  });
});
