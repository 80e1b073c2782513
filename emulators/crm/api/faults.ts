import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';

/** A failure the server answers with instead of the real response, to rehearse outages and throttling. */
export interface Fault {
  /** The answer instead of the real one; without it, the real answer, late by `delayMs`. */
  status?: number;
  /** A slow answer: the request waits this long before it is answered. */
  delayMs?: number;
  /** Only requests with this method. */
  method?: string;
  /** Sent as the Retry-After header, in seconds or as an HTTP date. */
  retryAfter?: string;
  /** How many requests get this answer; 1 unless said otherwise. */
  times?: number;
  /** Only requests whose path starts with this. */
  pathPrefix?: string;
}

/** Requests caught in flight: held unanswered until released, as a server that stalls mid-write. */
export interface Hold {
  /** How many requests are waiting on this hold now. */
  readonly held: number;
  /** Lets every held request, and every later one, go on to its real answer. */
  release(): void;
}

interface HoldRule {
  method?: string;
  pathPrefix?: string;
  /** Requests still let through before the hold catches them. */
  passing: number;
  held: number;
  released: Promise<void>;
  release(): void;
}

export class FaultInjector {
  private readonly queue: Fault[] = [];
  private readonly holds = new Set<HoldRule>();
  /** The latest requests seen, in order, as `METHOD path`: lets tests see retries happen. */
  readonly requests: string[] = [];

  enqueue(fault: Fault): void {
    this.queue.push({ ...fault, times: fault.times ?? 1 });
  }

  /**
   * Holds the requests that match, after the first `after` of them, until `release()`: a test
   * can stop a client while its write is surely in flight.
   */
  hold(rule: { method?: string; pathPrefix?: string; after?: number }): Hold {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holding: HoldRule = { ...rule, passing: rule.after ?? 0, held: 0, released, release };
    this.holds.add(holding);
    return {
      get held() {
        return holding.held;
      },
      release: () => {
        this.holds.delete(holding);
        holding.release();
      },
    };
  }

  /** Drops every fault still waiting, and releases every hold. */
  clear(): void {
    this.queue.length = 0;
    for (const holding of this.holds) holding.release();
    this.holds.clear();
  }

  private async waitOnHolds(method: string, path: string): Promise<void> {
    for (const holding of this.holds) {
      if (!matches(holding, method, path)) continue;
      if (holding.passing > 0) {
        holding.passing--;
        continue;
      }
      holding.held++;
      await holding.released;
      holding.held--;
    }
  }

  register(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?')[0]!;
      this.requests.push(`${request.method} ${path}`);
      // A long-running demo server must not grow without end.
      if (this.requests.length > 10_000) this.requests.splice(0, 5_000);
      await this.waitOnHolds(request.method, path);
      const queue = this.queue;
      const index = queue.findIndex((fault) => matches(fault, request.method, path));
      if (index < 0) return;
      const fault = queue[index]!;
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) queue.splice(index, 1);
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.status === undefined) return;
      if (fault.retryAfter !== undefined) reply.header('retry-after', fault.retryAfter);
      return reply
        .code(fault.status)
        .send({ error: 'injected', message: `fault injected: HTTP ${fault.status}` });
    });
  }
}

function matches(rule: { method?: string; pathPrefix?: string }, method: string, path: string): boolean {
  return (!rule.pathPrefix || path.startsWith(rule.pathPrefix)) && (!rule.method || rule.method === method);
}
