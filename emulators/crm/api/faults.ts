import type { FastifyInstance } from 'fastify';

/** A failure the server answers with instead of the real response, to rehearse outages and throttling. */
export interface Fault {
  status: number;
  /** Sent as the Retry-After header, in seconds or as an HTTP date. */
  retryAfter?: string;
  /** How many requests get this answer; 1 unless said otherwise. */
  times?: number;
  /** Only requests whose path starts with this. */
  pathPrefix?: string;
}

export class FaultInjector {
  private readonly queue: Fault[] = [];
  /** The latest requests seen, in order, as `METHOD path`: lets tests see retries happen. */
  readonly requests: string[] = [];

  enqueue(fault: Fault): void {
    this.queue.push({ ...fault, times: fault.times ?? 1 });
  }

  register(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?')[0]!;
      this.requests.push(`${request.method} ${path}`);
      // A long-running demo server must not grow without end.
      if (this.requests.length > 10_000) this.requests.splice(0, 5_000);
      const queue = this.queue;
      const index = queue.findIndex((fault) => !fault.pathPrefix || path.startsWith(fault.pathPrefix));
      if (index < 0) return;
      const fault = queue[index]!;
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) queue.splice(index, 1);
      if (fault.retryAfter !== undefined) reply.header('retry-after', fault.retryAfter);
      return reply
        .code(fault.status)
        .send({ error: 'injected', message: `fault injected: HTTP ${fault.status}` });
    });
  }
}
