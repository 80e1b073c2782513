import { request } from 'node:http';

/**
 * The load generator, run as a process of its own so that its work is not the host's: it
 * sends the requests it is given from `concurrency` clients, each with its own keep-alive
 * connection, and prints the latencies (ms) and the elapsed seconds as one JSON line.
 */
export interface LoadOrder {
  url: string;
  method: string;
  paths: string[];
  body?: string;
  concurrency: number;
  /** Stop after this many requests, or after durationMs, whichever is given. */
  count?: number;
  durationMs?: number;
}

const order = JSON.parse(process.argv[2]!) as LoadOrder;
const base = new URL(order.url);

function once(path: string, agent: import('node:http').Agent): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: order.method,
        agent,
        headers: order.body ? { 'content-type': 'application/json' } : {},
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          if ((response.statusCode ?? 0) >= 400) reject(new Error(`${path} answered ${response.statusCode}`));
          else resolve(performance.now() - start);
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(order.body);
  });
}

const { Agent } = await import('node:http');
const latencies: number[] = [];
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
process.stdout.write(`${JSON.stringify({ latencies, seconds: (performance.now() - started) / 1000 })}\n`);
