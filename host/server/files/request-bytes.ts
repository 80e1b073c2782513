import { CrmsyncError } from '../../../core/index.js';

/**
 * The body of a request as it arrives, checked against a size limit as it goes: the limit
 * holds for chunked uploads too, which announce no length.
 */
export async function* limitedBytes(
  body: AsyncIterable<Uint8Array | string>,
  limitBytes: number,
  setting: string,
): AsyncIterable<Uint8Array> {
  let total = 0;
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.length;
    if (total > limitBytes) throw tooLarge(limitBytes, setting);
    yield bytes;
  }
}

export function tooLarge(limitBytes: number, setting: string): CrmsyncError {
  return new CrmsyncError(
    'CRMSYNC_ERR_TOO_LARGE',
    `the body is larger than ${limitBytes} bytes; send less, or raise ${setting}`,
    { field: 'body' },
  );
}

/** Refuses a body whose announced length is over the limit before a byte of it is read. */
export function checkAnnouncedLength(header: string | undefined, limitBytes: number, setting: string): void {
  if (header !== undefined && Number(header) > limitBytes) throw tooLarge(limitBytes, setting);
}

/**
 * The first chunk is read before anything is answered, so an empty upload is a clear 400 and
 * not an empty preview; the stream given back still starts with it.
 */
export async function withFirstChunk(
  source: AsyncIterable<Uint8Array>,
): Promise<AsyncIterable<Uint8Array> | undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) return undefined;
  const head = first.value;
  return (async function* () {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  })();
}
