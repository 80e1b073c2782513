/** Outlook runs at most four requests of one app against one mailbox at a time. */
export const maxInFlightPerMailbox = 4;
/** Graph takes at most 20 requests in one batch. */
export const maxBatchSize = 20;

export type Sleep = (ms: number) => Promise<void>;

/** Outlook's documented budget per app and mailbox: 10,000 requests in any 10 minutes. */
export interface RequestBudget {
  requestsPerWindow: number;
  windowMs: number;
}
export const outlookBudget: RequestBudget = { requestsPerWindow: 10_000, windowMs: 10 * 60 * 1000 };
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps one mailbox's requests within Outlook's limits: at most four in flight (a batch
 * counts as four, since Graph hands Outlook four of its requests at once); no more requests
 * in any window than the budget (Outlook's documented one unless configured), waiting for
 * the oldest to age out rather than being refused; batches sized to the budget the service
 * announces (RateLimit-Remaining / -Reset) where it does; and after a 429 all the same,
 * batches halved and grown again while requests pass.
 */
export class MailboxPacer {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private announced: { remaining: number; resetAt: number } | undefined;
  private learnedSize = maxBatchSize;
  /**
   * When each request in the current window counts from, oldest first: from its answer, not
   * its sending, since Graph counts a request when it runs, which in a batch may be later.
   */
  private readonly sent: { at: number }[] = [];

  constructor(
    private readonly sleep: Sleep = realSleep,
    private readonly now: () => number = Date.now,
    private readonly budget: RequestBudget = outlookBudget,
  ) {}

  /** Waits until `count` more requests fit into the window's budget, and books them. */
  async reserve(count: number): Promise<{ at: number }[]> {
    const { requestsPerWindow, windowMs } = this.budget;
    const wanted = Math.min(count, requestsPerWindow);
    for (;;) {
      const now = this.now();
      while (this.sent.length > 0 && this.sent[0]!.at <= now - windowMs) this.sent.shift();
      if (this.sent.length + wanted <= requestsPerWindow) break;
      const frees = this.sent[this.sent.length + wanted - requestsPerWindow - 1]!.at + windowMs;
      await this.sleep(Math.max(1, frees - now));
    }
    const now = this.now();
    const booked = Array.from({ length: count }, () => ({ at: now }));
    this.sent.push(...booked);
    return booked;
  }

  /** Runs `task` (carrying `requests` Graph requests) once the budget allows and a slot (for a batch, all four) is free. */
  async run<T>(task: () => Promise<T>, slots = 1, requests = 1): Promise<T> {
    const booked = await this.reserve(requests);
    await this.acquire(slots);
    try {
      return await task();
    } finally {
      const answered = this.now();
      for (const entry of booked) entry.at = answered;
      this.inFlight -= slots;
      for (const wake of this.waiting.splice(0)) wake();
    }
  }

  /** How many requests the next batch may carry; waits first when the budget is spent. */
  async nextBatchSize(): Promise<number> {
    const announced = this.announced;
    if (announced && announced.remaining <= 0) {
      const wait = announced.resetAt - this.now();
      if (wait > 0) await this.sleep(wait);
      this.announced = undefined;
      return 1;
    }
    return Math.max(1, Math.min(maxBatchSize, this.learnedSize, announced?.remaining ?? maxBatchSize));
  }

  /** Learns from one batch's answers: the budget announced and whether any were throttled. */
  observe(headers: Iterable<Record<string, string> | undefined>, throttled: boolean): void {
    let lowest: { remaining: number; resetAt: number } | undefined;
    for (const header of headers) {
      const remaining = Number(pick(header, 'RateLimit-Remaining'));
      const reset = Number(pick(header, 'RateLimit-Reset'));
      if (!Number.isFinite(remaining) || pick(header, 'RateLimit-Remaining') === undefined) continue;
      if (!lowest || remaining < lowest.remaining)
        lowest = { remaining, resetAt: this.now() + (Number.isFinite(reset) ? reset * 1000 : 1000) };
    }
    // Answers show the budget when each request was admitted; the batch's own requests are spent too.
    this.announced = lowest;
    this.learnedSize = throttled
      ? Math.max(1, Math.floor(this.learnedSize / 2))
      : Math.min(maxBatchSize, this.learnedSize + 2);
  }

  private async acquire(slots: number): Promise<void> {
    while (this.inFlight + slots > maxInFlightPerMailbox)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight += slots;
  }
}

function pick(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** Retry-After in milliseconds (seconds, possibly fractional, or an HTTP date). */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
