import { request } from 'node:http';

/**
 * The load generator, run as a process of its own so that its work is not the host's: it
 * sends the requests it is given from `concurrency` clients, each with its own keep-alive
 * connection, and prints the latencies (ms), the statuses answered and the elapsed seconds as
 * one JSON line.
 */
export interface LoadOrder {
  url: string;
  method: string;
  paths: string[];
  body?: string;
  /** Sent with every request (credentials, say). */
  headers?: Record<string, string>;
  /**
   * A 202 names a job (a plan still being built): the request counts until the job has ended,
   * read from its event stream, so the latency is the time until the answer is readable.
   */
  followJobs?: boolean;
  concurrency: number;
  /** Stop after this many requests, or after durationMs, whichever is given. */
  count?: number;
  durationMs?: number;
}

const order = JSON.parse(process.argv[2]!) as LoadOrder;
const base = new URL(order.url);

function exchange(
  method: string,
  path: string,
  agent: import('node:http').Agent,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: base.hostname, port: base.port, path, method, agent, headers },
      (response) => {
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 400) reject(new Error(`${path} answered ${status}`));
          else
            resolve({
              status,
              ...(response.headers.location ? { location: response.headers.location } : {}),
            });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function once(path: string, agent: import('node:http').Agent): Promise<number> {
  const start = performance.now();
  const headers = { ...(order.body ? { 'content-type': 'application/json' } : {}), ...order.headers };
  const answer = await exchange(order.method, path, agent, headers, order.body);
  if (order.followJobs && answer.status === 202 && answer.location?.startsWith('/api/v1/jobs/')) {
    followed++;
    await exchange('GET', `${answer.location}/events`, agent, {
      ...order.headers,
      accept: 'text/event-stream',
    });
  }
  return performance.now() - start;
}

const { Agent } = await import('node:http');
const latencies: number[] = [];
/** Answers that named a job the client then followed to its end. */
let followed = 0;
let sent = 0;
const started = performance.now();
const more = () =>
  order.count !== undefined ? sent < order.count : performance.now() - started < (order.durationMs ?? 0);
await Promise.all(
  Array.from({ length: order.concurrency }, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    while (more()) {
      const path = order.paths[sent++ % order.paths.length]!;
      latencies.push(await once(path, agent));
    }
    agent.destroy();
  }),
);
process.stdout.write(
  `${JSON.stringify({ latencies, followed, seconds: (performance.now() - started) / 1000 })}\n`,
);
