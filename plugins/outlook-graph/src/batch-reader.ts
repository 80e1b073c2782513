import { CrmsyncError, type Photo, type ProblemLocation, photoHash } from '../../../core/index.js';
import type { GraphConnection } from './graph/graph-client.js';
import { codeForStatus, graphErrorOf, isTransient } from './graph-problems.js';
import { type MailboxPacer, maxBatchSize, retryAfterMs, type Sleep } from './mailbox-pacer.js';

export interface ReadAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Reads many URLs through JSON batches of 20, retrying throttled and unavailable ones (reads
 * are safe to repeat); a read that keeps failing fails the whole read, so a caller never
 * mistakes it for an absent contact.
 */
export async function readInBatches(
  urls: string[],
  options: {
    connection: GraphConnection;
    pacer: MailboxPacer;
    sleep: Sleep;
    where: ProblemLocation;
    maxAttempts?: number;
  },
): Promise<ReadAnswer[]> {
  const answers: ReadAnswer[] = new Array(urls.length);
  let pending = urls.map((_url, index) => index);
  for (let attempt = 1; pending.length > 0; attempt++) {
    const size = await options.pacer.nextBatchSize();
    const batch = pending.slice(0, Math.max(1, Math.min(size, maxBatchSize)));
    const rest = pending.slice(batch.length);
    const answer = await options.pacer.run(
      () =>
        options.connection.send({
          method: 'POST',
          url: '/$batch',
          headers: { 'Content-Type': 'application/json' },
          body: { requests: batch.map((index) => ({ id: String(index), method: 'GET', url: urls[index] })) },
        }),
      4,
      batch.length,
    );
    if (answer.status !== 200) {
      if (!isTransient(answer.status) || attempt >= (options.maxAttempts ?? 8))
        throw failure(answer.status, answer.body, options.where);
      await options.sleep(retryAfterMs(answer.headers.get('Retry-After')) ?? 500 * 2 ** (attempt - 1));
      continue;
    }
    const inner = (answer.body as { responses?: (ReadAnswer & { id: string })[] }).responses ?? [];
    const again: number[] = [];
    let waitMs = 0;
    for (const index of batch) {
      const item = inner.find((candidate) => candidate.id === String(index));
      if (!item || isTransient(item.status)) {
        if (attempt >= (options.maxAttempts ?? 8))
          throw failure(item?.status ?? 502, item?.body, options.where);
        again.push(index);
        const after = retryAfterMs(item?.headers?.['Retry-After']);
        waitMs = Math.max(waitMs, after ?? 500);
      } else answers[index] = item;
    }
    options.pacer.observe(
      inner.map((item) => item.headers),
      inner.some((item) => item.status === 429),
    );
    pending = [...again, ...rest];
    if (again.length > 0) await options.sleep(waitMs);
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

/** A photo from a `photo/$value` answer: bytes inline (base64 inside a batch), none after a 404. */
export function photoFromAnswer(answer: ReadAnswer | undefined): Photo | undefined {
  if (answer?.status !== 200 || answer.body === undefined || answer.body === null) return undefined;
  const bytes =
    typeof answer.body === 'string'
      ? new Uint8Array(Buffer.from(answer.body, 'base64'))
      : (answer.body as Uint8Array);
  const mediaType =
    Object.entries(answer.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ??
    'image/jpeg';
  return { mediaType: mediaType.split(';')[0]!.trim(), bytes, hash: photoHash(bytes) };
}
