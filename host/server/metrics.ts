import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { OutboundRequestHub } from '../../core/index.js';
import type { JobView } from '../jobs/job-records.js';
import { metricsAnswer } from './routes/streamed-schemas.js';

type Labels = Record<string, string>;

/** Label values in the exposition format: backslash, quote and newline escaped. */
const escaped = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const keyOf = (labels: Labels) =>
  Object.entries(labels)
    .map(([name, value]) => `${name}="${escaped(value)}"`)
    .join(',');

class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  add(labels: Labels, by = 1): void {
    const key = keyOf(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  lines(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} counter`,
      ...[...this.values].map(([key, value]) => `${this.name}${key ? `{${key}}` : ''} ${value}`),
    ];
  }
}

/** Durations as a Prometheus summary without quantiles: a sum and a count per label set. */
class Durations {
  private readonly sums: Counter;
  private readonly counts: Counter;
  constructor(
    readonly name: string,
    readonly help: string,
  ) {
    this.sums = new Counter(`${name}_sum`, help);
    this.counts = new Counter(`${name}_count`, help);
  }
  observe(labels: Labels, seconds: number): void {
    this.sums.add(labels, seconds);
    this.counts.add(labels);
  }
  lines(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} summary`,
      ...this.sums.lines().slice(2),
      ...this.counts.lines().slice(2),
    ];
  }
}

/** A value read when metrics are scraped (the queue's depth is in the database, not here). */
class Gauge {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => Promise<number>,
  ) {}
  async lines(): Promise<string[]> {
    const value = await this.read().catch(() => Number.NaN);
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${value}`];
  }
}

/** `2xx` … `5xx`, or `none` for a request that got no answer. */
const statusClass = (status: number | undefined) =>
  status === undefined ? 'none' : `${Math.floor(status / 100)}xx`;

/**
 * What the host counts for `GET /metrics` (Prometheus text format): requests by route and
 * status, errors by code, jobs (commits, sync runs, plans being built) by kind and end state
 * with their durations (also per groupware account), and the items they worked through; the
 * requests plugins send to services outside (Graph, the CRM) by status class, the throttling
 * answers (429) among them and their durations; the queue's depth is read when scraped.
 * Routes are counted by their pattern, never by the URL, so plan ids cannot grow the series
 * without bound.
 */
export class HostMetrics {
  private readonly requests = new Counter('crmsync_http_requests_total', 'HTTP requests answered');
  private readonly requestSeconds = new Durations(
    'crmsync_http_request_duration_seconds',
    'Time from request to answer',
  );
  private readonly errors = new Counter('crmsync_errors_total', 'Error answers by error code');
  private readonly jobs = new Counter('crmsync_jobs_total', 'Jobs ended, by kind and end state');
  private readonly jobSeconds = new Durations('crmsync_job_duration_seconds', 'Time from queued to ended');
  private readonly items = new Counter('crmsync_job_items_total', 'Plan items worked through by ended jobs');
  private readonly outbound = new Counter(
    'crmsync_connector_requests_total',
    'Requests plugins sent to services outside crmsync (Graph, the CRM), each retry counted; status_class none: no answer came; in_batch true: carried inside a batch, with its own answer',
  );
  private readonly throttled = new Counter(
    'crmsync_connector_throttled_total',
    'Requests answered 429 Too Many Requests by the service asked, inside batches too',
  );
  private readonly outboundSeconds = new Durations(
    'crmsync_connector_request_duration_seconds',
    'Time from sending a request to a service outside crmsync to its answer, per round trip',
  );
  private readonly accountJobs = new Counter(
    'crmsync_account_jobs_total',
    'Jobs ended in this process, by groupware account and end state',
  );
  private readonly accountJobSeconds = new Durations(
    'crmsync_account_job_duration_seconds',
    'Time from start to end of the jobs this process ran, by groupware account',
  );
  private readonly gauges: Gauge[] = [];

  error(code: string): void {
    this.errors.add({ code });
  }

  jobEnded(view: JobView, accountId: string): void {
    this.jobs.add({ kind: view.kind, state: view.state });
    if (view.queuedAt !== undefined && view.finishedAt !== undefined)
      this.jobSeconds.observe({ kind: view.kind }, (view.finishedAt - view.queuedAt) / 1000);
    if (view.progress) this.items.add({ kind: view.kind }, view.progress.done);
    this.accountJobs.add({ account: accountId, state: view.state });
    const started = view.startedAt ?? view.queuedAt;
    if (started !== undefined && view.finishedAt !== undefined)
      this.accountJobSeconds.observe({ account: accountId }, (view.finishedAt - started) / 1000);
  }

  /** A value read at each scrape. */
  gauge(name: string, help: string, read: () => Promise<number>): void {
    this.gauges.push(new Gauge(name, help, read));
  }

  /** Counts the requests the runtime's plugins report sending out, until the app closes. */
  observe(app: FastifyInstance, outbound: OutboundRequestHub): void {
    const stop = outbound.subscribe((plugin, request) => {
      const labels = { plugin, service: request.service };
      const inBatch = request.inBatch === true;
      this.outbound.add({ ...labels, status_class: statusClass(request.status), in_batch: String(inBatch) });
      // Present from the first request on, so a rate of throttling reads 0 rather than nothing.
      this.throttled.add(labels, request.status === 429 ? 1 : 0);
      if (!inBatch) this.outboundSeconds.observe(labels, request.seconds);
    });
    app.addHook('onClose', async () => stop());
  }

  /**
   * Counts every answer of `app` (the root instance, so that every scope is seen) and serves
   * `GET /metrics` behind `guard` (none on a worker's own port, which serves nothing else).
   */
  register(app: FastifyInstance, guard?: onRequestHookHandler): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      this.requests.add(labels);
      this.requestSeconds.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
    app.get(
      '/metrics',
      {
        ...(guard ? { onRequest: guard } : {}),
        schema: {
          summary: 'Prometheus metrics',
          response: { 200: metricsAnswer },
        },
      },
      async (_request, reply) =>
        reply.type('text/plain; version=0.0.4; charset=utf-8').send(await this.text()),
    );
  }

  async text(): Promise<string> {
    const counted = [
      this.requests,
      this.requestSeconds,
      this.errors,
      this.jobs,
      this.jobSeconds,
      this.items,
      this.outbound,
      this.throttled,
      this.outboundSeconds,
      this.accountJobs,
      this.accountJobSeconds,
    ].flatMap((metric) => metric.lines());
    const read = (await Promise.all(this.gauges.map((gauge) => gauge.lines()))).flat();
    return `${[...counted, ...read].join('\n')}\n`;
  }
}
