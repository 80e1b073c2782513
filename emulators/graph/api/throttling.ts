import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphFailure } from './graph-error.js';

export interface ThrottlingOptions {
  /** Requests allowed per app and mailbox within `windowMs` (Outlook: 10,000 per 10 minutes). */
  requestsPerWindow: number;
  windowMs: number;
  /** Requests one app may have running against one mailbox at once (Outlook: 4). */
  concurrentPerMailbox: number;
  /**
   * Whether answers carry RateLimit-Limit / -Remaining / -Reset once 80 % of the budget is
   * used, as Microsoft's Dev Proxy simulates for Graph; clients that read them avoid 429s.
   */
  rateLimitHeaders: boolean;
}

export const outlookLimits: ThrottlingOptions = {
  requestsPerWindow: 10_000,
  windowMs: 10 * 60 * 1000,
  concurrentPerMailbox: 4,
  rateLimitHeaders: true,
};

interface Budget {
  /** Admission times within the window, oldest first. */
  admitted: number[];
  running: number;
}

/** The mailbox a request addresses, from `/v1.0/users/{id}/…`; none for `$batch` and the token endpoint. */
export function mailboxOf(url: string): string | undefined {
  const match = /^\/v1\.0\/users\/([^/?]+)/i.exec(url);
  return match ? decodeURIComponent(match[1]!).toLowerCase() : undefined;
}

/**
 * Outlook's throttling per app and mailbox: a sliding window of requests and a cap on
 * concurrent ones; a request over either limit gets 429 with Retry-After and is not run.
 * Exceeding one mailbox's budget never affects another's.
 */
export class Throttling {
  private readonly budgets = new Map<string, Budget>();
  private readonly running = new WeakMap<FastifyRequest, Budget>();

  constructor(public options: ThrottlingOptions = outlookLimits) {}

  /** Admits the request or throws the 429 Graph would answer. */
  admit(request: FastifyRequest, reply: FastifyReply, clientId: string, mailbox: string): void {
    const key = `${clientId}\u0000${mailbox}`;
    const budget = this.budgets.get(key) ?? { admitted: [], running: 0 };
    this.budgets.set(key, budget);
    const now = Date.now();
    const { requestsPerWindow, windowMs, concurrentPerMailbox } = this.options;
    while (budget.admitted.length > 0 && budget.admitted[0]! <= now - windowMs) budget.admitted.shift();
    if (budget.running >= concurrentPerMailbox) {
      throw new GraphFailure(
        429,
        'ApplicationThrottled',
        'Application is over its MailboxConcurrency limit.',
        {
          'Retry-After': '1',
        },
      );
    }
    if (budget.admitted.length >= requestsPerWindow) {
      const wait = (budget.admitted[budget.admitted.length - requestsPerWindow]! + windowMs - now) / 1000;
      throw new GraphFailure(429, 'TooManyRequests', 'Please retry again later.', {
        'Retry-After': String(Math.max(0.001, Math.ceil(wait * 1000) / 1000)),
      });
    }
    budget.admitted.push(now);
    budget.running++;
    this.running.set(request, budget);
    if (this.options.rateLimitHeaders && budget.admitted.length >= 0.8 * requestsPerWindow) {
      const reset = (budget.admitted[0]! + windowMs - now) / 1000;
      reply.header('RateLimit-Limit', String(requestsPerWindow));
      reply.header('RateLimit-Remaining', String(requestsPerWindow - budget.admitted.length));
      reply.header('RateLimit-Reset', String(Math.max(1, Math.ceil(reset))));
    }
  }

  release(request: FastifyRequest): void {
    const budget = this.running.get(request);
    if (!budget) return;
    budget.running--;
    this.running.delete(request);
  }

  register(app: FastifyInstance): void {
    app.addHook('onResponse', async (request) => this.release(request));
    app.addHook('onRequestAbort', async (request) => this.release(request));
  }
}
