import { headerValue } from './header-value.js';

/** Outlook runs at most four requests of one app against one mailbox at a time. */
export const maxInFlightPerMailbox = 4;
/** Graph takes at most 20 requests in one batch. */
export const maxBatchSize = 20;

/**
 * How many times its allowance of attempts a request may be refused with 429 before it is
 * reported as failed: a refused request never ran, Graph asks for it again after Retry-After,
 * and a storm refuses many in a row.
 */
export const throttledAllowance = 4;

export type Sleep = (ms: number) => Promise<void>;

/** Outlook's documented budget per app and mailbox: 10,000 requests in any 10 minutes. */
export interface RequestBudget {
  requestsPerWindow: number;
  windowMs: number;
}
export const outlookBudget: RequestBudget = { requestsPerWindow: 10_000, windowMs: 10 * 60 * 1000 };
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An answer as the pacer learns from it: a plain request's or one inside a batch. */
export interface PacedAnswer {
  status: number;
  headers?: Readonly<Record<string, string>>;
}

/** A learned budget stays this far under what the first window accepted, so the next is not refused at its edge. */
const learnedMargin = 0.97;
/**
 * Budget windows are minutes long (Outlook's is 10): a refusal that would make one shorter is
 * a passing storm of 429s, not a spent budget, and teaches nothing.
 */
const shortestLearnedWindowMs = 30_000;
/** A learned budget is lowered by a refusal only when the window was this full by its own count. */
const nearTheBudget = 0.9;

/**
 * Keeps one mailbox's requests within Outlook's limits: at most four in flight (a batch
 * counts as four, since Graph hands Outlook four of its requests at once); no more requests
 * in any window than the budget, waiting for the oldest to age out rather than being refused;
 * batches sized to the budget the service announces (RateLimit-Remaining / -Reset) where it
 * does. A budget nobody configured is Outlook's documented one until Graph refuses a request:
 * then the window is learned from what Graph accepted since the streak of requests began and
 * when it says a request will pass again (Retry-After), and later windows keep under it.
 */
export class MailboxPacer {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private announced: { remaining: number; resetAt: number } | undefined;
  private learnedSize = maxBatchSize;
  private budget: RequestBudget;
  /** Whether the budget is still to be learned from refusals (none was configured). */
  private readonly learns: boolean;
  private learned = false;
  /**
   * The streak of requests the budget is learned from: when it began and how many requests
   * Graph admitted since. A pause as long as Outlook's documented window empties any window,
   * so a streak begins anew after one.
   */
  private streak: { since: number; admitted: number; lastAt: number } | undefined;
  /**
   * When each request in the current window counts from, oldest first: from its answer, not
   * its sending, since Graph counts a request when it runs, which in a batch may be later.
   */
  private readonly sent: { at: number }[] = [];

  constructor(
    private readonly sleep: Sleep = realSleep,
    private readonly now: () => number = Date.now,
    /** The app's budget per mailbox when the tenant's is known; learned from Graph's refusals otherwise. */
    budget?: RequestBudget,
  ) {
    this.budget = budget ?? outlookBudget;
    this.learns = budget === undefined;
  }

  /** The budget requests are paced to now: the configured, the documented or the learned one. */
  get currentBudget(): RequestBudget {
    return { ...this.budget };
  }

  /** Waits until `count` more requests fit into the window's budget, and books them. */
  async reserve(count: number): Promise<{ at: number }[]> {
    for (;;) {
      const { requestsPerWindow, windowMs } = this.budget;
      const wanted = Math.min(count, requestsPerWindow);
      const now = this.now();
      while (this.sent.length > 0 && this.sent[0]!.at <= now - windowMs) this.sent.shift();
      if (this.sent.length + wanted <= requestsPerWindow) break;
      const frees = this.sent[this.sent.length + wanted - requestsPerWindow - 1]!.at + windowMs;
      await this.sleep(Math.max(1, frees - now));
    }
    const now = this.now();
    const booked = Array.from({ length: count }, () => ({ at: now }));
    this.sent.push(...booked);
    if (!this.streak || now - this.streak.lastAt > outlookBudget.windowMs)
      this.streak = { since: now, admitted: 0, lastAt: now };
    this.streak.admitted += count;
    this.streak.lastAt = now;
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

  /**
   * Learns from one batch's answers: the budget announced, and from the requests refused (429)
   * how large the window is; refused requests never ran, so they do not count against it.
   * Batches are halved after a refusal and grown again while requests pass.
   */
  observe(answers: Iterable<PacedAnswer | undefined>): void {
    let lowest: { remaining: number; resetAt: number } | undefined;
    const refusals: (number | undefined)[] = [];
    for (const answer of answers) {
      if (answer?.status === 429) refusals.push(retryAfterMs(headerValue(answer.headers, 'Retry-After')));
      const remainingHeader = headerValue(answer?.headers, 'RateLimit-Remaining');
      const remaining = Number(remainingHeader);
      if (remainingHeader === undefined || !Number.isFinite(remaining)) continue;
      const reset = Number(headerValue(answer?.headers, 'RateLimit-Reset'));
      if (!lowest || remaining < lowest.remaining)
        lowest = { remaining, resetAt: this.now() + (Number.isFinite(reset) ? reset * 1000 : 1000) };
    }
    // Answers show the budget when each request was admitted; the batch's own requests are spent too.
    this.announced = lowest;
    if (refusals.length > 0) this.refused(refusals, lowest !== undefined);
    this.learnedSize =
      refusals.length > 0
        ? Math.max(1, Math.floor(this.learnedSize / 2))
        : Math.min(maxBatchSize, this.learnedSize + 2);
  }

  private refused(retryAfters: (number | undefined)[], announced: boolean): void {
    this.sent.splice(-Math.min(retryAfters.length, this.sent.length));
    if (this.streak) this.streak.admitted = Math.max(0, this.streak.admitted - retryAfters.length);
    // Where Graph announces its budget, or one was configured, there is nothing to guess.
    if (!this.learns || announced || !this.streak) return;
    if (this.learned) {
      // Refused at the edge of the learned budget, the estimate let too many through: keep a
      // little further under it. Refused far from it, Graph was busy for other reasons.
      const { requestsPerWindow, windowMs } = this.budget;
      const now = this.now();
      const inWindow = this.sent.filter((entry) => entry.at > now - windowMs).length;
      if (inWindow >= nearTheBudget * requestsPerWindow)
        this.budget = { requestsPerWindow: Math.max(1, Math.floor(requestsPerWindow * 0.9)), windowMs };
      return;
    }
    const waits = retryAfters.filter((wait): wait is number => wait !== undefined);
    if (waits.length === 0 || this.streak.admitted === 0) return;
    // The window is full with what Graph admitted since the streak began, and frees its first
    // place when the streak's first request leaves it: after Retry-After.
    const windowMs = this.now() + Math.max(...waits) - this.streak.since;
    if (windowMs < shortestLearnedWindowMs) return;
    this.budget = {
      requestsPerWindow: Math.max(1, Math.floor(this.streak.admitted * learnedMargin)),
      windowMs,
    };
    this.learned = true;
  }

  private async acquire(slots: number): Promise<void> {
    while (this.inFlight + slots > maxInFlightPerMailbox)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight += slots;
  }
}

/** Retry-After in milliseconds (seconds, possibly fractional, or an HTTP date). */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
