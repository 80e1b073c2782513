import type { FastifyInstance } from 'fastify';
import type { JobView } from './jobs/job-runner.js';
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

/**
 * What the host counts for `GET /metrics` (Prometheus text format): requests by route and
 * status, errors by code, jobs (commits and sync runs) by kind and end state with their
 * durations, and the items they worked through. Routes are counted by their pattern, never
 * by the URL, so plan ids cannot grow the series without bound.
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

  error(code: string): void {
    this.errors.add({ code });
  }

  jobEnded(view: JobView): void {
    this.jobs.add({ kind: view.kind, state: view.state });
    if (view.queuedAt !== undefined && view.finishedAt !== undefined)
      this.jobSeconds.observe({ kind: view.kind }, (view.finishedAt - view.queuedAt) / 1000);
    if (view.progress) this.items.add({ kind: view.kind }, view.progress.done);
  }

  /** Counts every answer of `app` (the root instance, so that every scope is seen). */
  register(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      this.requests.add(labels);
      this.requestSeconds.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
    app.get(
      '/metrics',
      {
        schema: {
          summary: 'Prometheus metrics',
          response: { 200: metricsAnswer },
        },
      },
      async (_request, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(this.text()),
    );
  }

  text(): string {
    return `${[this.requests, this.requestSeconds, this.errors, this.jobs, this.jobSeconds, this.items]
      .flatMap((metric) => metric.lines())
      .join('\n')}\n`;
  }
}
