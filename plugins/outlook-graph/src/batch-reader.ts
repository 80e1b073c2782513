import { CrmsyncError, type ProblemLocation } from '../../../core/index.js';
import { codeForStatus, graphErrorOf, isTransient } from './graph-problems.js';
import { headerValue } from './header-value.js';
import type { MailboxChannel } from './mailbox-channel.js';
import { maxBatchSize, retryAfterMs } from './mailbox-pacer.js';

export interface ReadAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Reads many URLs through JSON batches of 20, retrying throttled and unavailable ones, and
 * batches that got no answer at all (reads are safe to repeat); a read that keeps failing
 * fails the whole read, so a caller never mistakes it for an absent contact.
 */
export async function readInBatches(
  urls: string[],
  channel: MailboxChannel,
  maxAttempts = 8,
): Promise<ReadAnswer[]> {
  const answers: ReadAnswer[] = new Array(urls.length);
  let pending = urls.map((_url, index) => index);
  for (let attempt = 1; pending.length > 0; attempt++) {
    const size = await channel.pacer.nextBatchSize();
    const batch = pending.slice(0, Math.max(1, Math.min(size, maxBatchSize)));
    const rest = pending.slice(batch.length);
    const backoff = 500 * 2 ** (attempt - 1);
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
      if (attempt >= maxAttempts) throw error;
      await channel.sleep(backoff);
      continue;
    }
    if (answer.status !== 200) {
      if (!isTransient(answer.status) || attempt >= maxAttempts)
        throw failure(answer.status, answer.body, channel.where);
      await channel.sleep(retryAfterMs(headerValue(answer.headers, 'Retry-After')) ?? backoff);
      continue;
    }
    const inner = (answer.body as { responses?: (ReadAnswer & { id: string })[] }).responses ?? [];
    const again: number[] = [];
    let waitMs = 0;
    for (const index of batch) {
      const item = inner.find((candidate) => candidate.id === String(index));
      if (!item || isTransient(item.status)) {
        if (attempt >= maxAttempts) throw failure(item?.status ?? 502, item?.body, channel.where);
        again.push(index);
        const after = retryAfterMs(headerValue(item?.headers, 'Retry-After'));
        waitMs = Math.max(waitMs, after ?? 500);
      } else answers[index] = item;
    }
    channel.pacer.observe(inner);
    pending = [...again, ...rest];
    if (again.length > 0) await channel.sleep(waitMs);
    else attempt = 0;
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
