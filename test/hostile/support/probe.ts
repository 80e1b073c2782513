import { request } from 'node:http';
import type { Readable } from 'node:stream';
import { peakRssMiB } from '../../support/host-process.js';

export interface Measured {
  status: number;
  body: string;
  seconds: number;
  /** Slowest and 99th-percentile /health answer while the request ran, in ms. */
  healthP99Ms: number;
  healthMaxMs: number;
  peakRssMiB: number;
}

let probeIntervalMs = 50;

/**
 * How often /health is asked during a request (50 ms unless set). A short request asked every
 * 50 ms gives a dozen answers, whose 99th percentile is simply the slowest: short runs ask more
 * often, so that the percentile is one.
 */
export function probeHealthEvery(ms: number): void {
  probeIntervalMs = ms;
}

/** Sends one request to the host while /health is asked now and then, and measures both. */
/** How long an answer may follow a connection the host closed while the body was still being sent. */
const answerAfterClosedMs = 2_000;

export async function measure(
  url: string,
  pid: number,
  path: string,
  body: Readable | string,
  headers: Record<string, string> = {},
): Promise<Measured> {
  const started = performance.now();
  const latencies: number[] = [];
  let running = true;
  let healthFailure: Error | undefined;
  const probing = (async () => {
    while (running) {
      const t = performance.now();
      try {
        await fetch(`${url}/health`).then((r) => r.arrayBuffer());
      } catch (error) {
        // Kept for after the request: /health failing while the host is busy is what this measures.
        healthFailure = new Error(`/health failed during the request: ${(error as Error).cause ?? error}`);
        return;
      }
      latencies.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, probeIntervalMs));
    }
  })();
  let answered = false;
  const answering = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const target = new URL(`${url}${path}`);
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers,
        agent: false,
      },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          // Keep only the start and end of a large answer: the test needs its status and counts.
          size += chunk.length;
          if (size < 1 << 20) chunks.push(chunk);
          else chunks.splice(1, chunks.length, chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    // A host that refuses at once (429: busy with other heavy requests) answers before the
    // body is sent and closes: the write fails, and the answer that came is what counts.
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') return reject(error);
      setTimeout(() => {
        if (!answered) reject(error);
      }, answerAfterClosedMs);
    });
    if (typeof body === 'string') outgoing.end(body);
    else body.pipe(outgoing);
  });
  // The probe stops however the request ends, so a failed request does not leave it asking a stopped host.
  const answer = await answering.finally(() => {
    running = false;
  });
  await probing;
  if (healthFailure) throw healthFailure;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    ...answer,
    seconds: (performance.now() - started) / 1000,
    healthP99Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0,
    healthMaxMs: sorted.at(-1) ?? 0,
    peakRssMiB: peakRssMiB(pid),
  };
}
