import type { FastifyRequest } from 'fastify';
import { GraphFailure } from './graph-error.js';

/** A failure the emulator answers with instead of the real response, to rehearse outages. */
export type Fault =
  | { kind: 'status'; status: number; code?: string; retryAfter?: string }
  | { kind: 'reset' }
  /** The request is carried out, then the connection is cut before the answer: the client cannot know. */
  | { kind: 'lose-answer' }
  | { kind: 'delay'; ms: number };

export interface QueuedFault {
  fault: Fault;
  /** How many matching requests get it; 1 unless said otherwise. */
  times?: number;
  /** Only requests whose method and path (`PATCH /v1.0/users/…`) match. */
  match?: RegExp;
  /** How many matching requests pass unharmed before the fault strikes; none unless said. */
  after?: number;
}

export interface Storm {
  /** Share of requests to a mailbox answered with the fault (0..1). */
  share: number;
  fault: Fault;
}

const codes: Record<number, string> = {
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/**
 * Injected faults: a queue consumed in order, and an optional storm hitting a share of all
 * mailbox requests (inside a batch too). Random draws come from a seeded generator, so a run
 * can be repeated.
 */
export class FaultInjector {
  private readonly queue: QueuedFault[] = [];
  private storm: Storm | undefined;
  private seed = 0x2f6b;
  /** How many faults were answered, by kind. */
  readonly answered = { status: 0, reset: 0, 'lose-answer': 0, delay: 0 };

  enqueue(fault: QueuedFault): void {
    this.queue.push({ ...fault, times: fault.times ?? 1 });
  }

  startStorm(storm: Storm, seed = 0x2f6b): void {
    this.storm = storm;
    this.seed = seed;
  }

  stopStorm(): void {
    this.storm = undefined;
  }

  clear(): void {
    this.queue.length = 0;
    this.storm = undefined;
  }

  /** The fault this request meets, if any. */
  take(request: FastifyRequest, inBatch: boolean): Fault | undefined {
    const line = `${request.method} ${request.url.split('?')[0]}`;
    const index = this.queue.findIndex(
      (queued) => (!queued.match || queued.match.test(line)) && !(inBatch && cutsConnection(queued.fault)),
    );
    if (index >= 0) {
      const queued = this.queue[index]!;
      if (queued.after) {
        queued.after--;
        return undefined;
      }
      queued.times = (queued.times ?? 1) - 1;
      if (queued.times <= 0) this.queue.splice(index, 1);
      return queued.fault;
    }
    const storm = this.storm;
    if (
      storm &&
      /\/users\//i.test(line) &&
      !(inBatch && cutsConnection(storm.fault)) &&
      this.random() < storm.share
    )
      return storm.fault;
    return undefined;
  }

  /** Applies a fault: throws the error answer, or waits, or cuts the connection (then returns true). */
  async apply(fault: Fault, request: FastifyRequest): Promise<boolean> {
    this.answered[fault.kind]++;
    if (fault.kind === 'lose-answer') {
      this.losing.add(request);
      return false;
    }
    if (fault.kind === 'delay') {
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return false;
    }
    if (fault.kind === 'reset') {
      request.raw.socket.destroy();
      return true;
    }
    const headers: Record<string, string> =
      fault.retryAfter === undefined ? {} : { 'Retry-After': fault.retryAfter };
    throw new GraphFailure(
      fault.status,
      fault.code ?? codes[fault.status] ?? 'UnknownError',
      fault.status === 429 ? 'Please retry again later.' : 'The service is temporarily unavailable.',
      headers,
    );
  }

  private readonly losing = new WeakSet<FastifyRequest>();

  /** Whether the answer to this request is to be lost (checked when it is about to be sent). */
  losesAnswer(request: FastifyRequest): boolean {
    return this.losing.has(request);
  }

  private random(): number {
    // mulberry32
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** Faults that cut a connection cannot hit a request inside a batch, which has none of its own. */
function cutsConnection(fault: Fault): boolean {
  return fault.kind === 'reset' || fault.kind === 'lose-answer';
}
