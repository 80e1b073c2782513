import { CrmsyncError, type ProblemLocation } from '../../../core/index.js';
import { codeForStatus, graphErrorOf, isTransient } from './graph-problems.js';
import { headerValue } from './header-value.js';
import type { MailboxChannel } from './mailbox-channel.js';
import { maxBatchSize, retryAfterMs, throttledAllowance } from './mailbox-pacer.js';

export interface ReadAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Reads many URLs through JSON batches of 20, retrying throttled and unavailable ones, and
 * batches that got no answer at all (reads are safe to repeat); a read that keeps failing
 * fails the whole read, so a caller never mistakes it for an absent contact. Rounds refused
 * only with 429 count apart, against a larger allowance: those requests never ran.
 */
export async function readInBatches(
  urls: string[],
  channel: MailboxChannel,
  maxAttempts = 8,
): Promise<ReadAnswer[]> {
  const answers: ReadAnswer[] = new Array(urls.length);
  let pending = urls.map((_url, index) => index);
  let failed = 0;
  let throttled = 0;
  /** Counts a round that went wrong; true when it was the last one allowed. */
  const spent = (onlyThrottled: boolean) =>
    onlyThrottled ? ++throttled >= maxAttempts * throttledAllowance : ++failed >= maxAttempts;
  while (pending.length > 0) {
    const size = await channel.pacer.nextBatchSize();
    const batch = pending.slice(0, Math.max(1, Math.min(size, maxBatchSize)));
    const rest = pending.slice(batch.length);
    const backoff = 500 * 2 ** failed;
    let answer: Awaited<ReturnType<MailboxChannel['send']>>;
    try {
      answer = await channel.send(
        {
          method: 'POST',
          url: '/$batch',
          headers: { 'Content-Type': 'application/json' },
          body: { requests: batch.map((index) => ({ id: String(index), method: 'GET', url: urls[index] })) },
        },
        batch.length,
      );
    } catch (error) {
      if (spent(false)) throw error;
      await channel.sleep(backoff);
      continue;
    }
    if (answer.status !== 200) {
      if (!isTransient(answer.status) || spent(answer.status === 429))
        throw failure(answer.status, answer.body, channel.where);
      await channel.sleep(retryAfterMs(headerValue(answer.headers, 'Retry-After')) ?? backoff);
      continue;
    }
    const inner = (answer.body as { responses?: (ReadAnswer & { id: string })[] }).responses ?? [];
    const again: number[] = [];
    let waitMs = 0;
    let lastRefusal: ReadAnswer | undefined;
    let onlyThrottled = true;
    for (const index of batch) {
      const item = inner.find((candidate) => candidate.id === String(index));
      if (!item || isTransient(item.status)) {
        again.push(index);
        lastRefusal = item ?? { status: 502 };
        if (lastRefusal.status !== 429) onlyThrottled = false;
        const after = retryAfterMs(headerValue(item?.headers, 'Retry-After'));
        waitMs = Math.max(waitMs, after ?? 500);
      } else answers[index] = item;
    }
    channel.pacer.observe(inner);
    pending = [...again, ...rest];
    if (again.length === 0) {
      // Progress: the next trouble starts its count anew.
      failed = 0;
      throttled = 0;
      continue;
    }
    if (spent(onlyThrottled)) throw failure(lastRefusal!.status, lastRefusal!.body, channel.where);
    await channel.sleep(waitMs);
  }
  return answers;
}

function failure(status: number, body: unknown, where: ProblemLocation): CrmsyncError {
  const graph = graphErrorOf(body);
  return new CrmsyncError(
    codeForStatus(status, graph.code),
    `reading Outlook contacts: Microsoft Graph answered ${status} ${graph.code}: ${graph.message}`,
    where,
  );
}
