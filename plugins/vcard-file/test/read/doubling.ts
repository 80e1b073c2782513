import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ReadOptions } from '../../src/read/index.js';
import { readVCards } from '../../src/read/index.js';

// Garbage left by one read would otherwise be collected during the next and counted against it.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Reads every item and keeps only their number, so that holding the results costs nothing. */
async function readAll(input: Uint8Array, chunkSize: number, options: ReadOptions): Promise<number> {
  async function* chunks() {
    for (let offset = 0; offset < input.length; offset += chunkSize)
      yield input.subarray(offset, offset + chunkSize);
  }
  let items = 0;
  for await (const _ of readVCards(chunks(), options)) items++;
  return items;
}

/** CPU time rather than wall time: other processes on a busy machine delay a read without making it do more. */
async function timed(input: Uint8Array, chunkSize: number, options: ReadOptions): Promise<number> {
  collectGarbage();
  const start = process.cpuUsage();
  await readAll(input, chunkSize, options);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * The most a doubling of the input may cost: midway between linear (2) and quadratic (4),
 * because the garbage collector's share grows somewhat with the objects a read holds.
 */
export const linearBound = 3;

/** The small input's read must take at least this long, grown up to `maximumGrowth` times. */
const minimumSmallMs = 25;
const maximumGrowth = 16;

export interface Doubling {
  /** Best CPU time for the input of size n, and for the one of size 4n, in ms. */
  small: number;
  large: number;
  /** The factor per doubling of the input: the square root of large ÷ small. */
  perDoubling: number;
}

/**
 * How much longer reading takes when the input doubles: the best of several tries of sizes
 * n and 4n, taken in turns so that both meet the same load on the machine, and the factor
 * per doubling derived from the two. Linear reading gives about 2, quadratic about 4; two
 * doublings keep noise at one size from passing for either, and no fixed number of
 * milliseconds is involved.
 */
export async function doublingRatio(
  make: (n: number) => Uint8Array,
  n: number,
  {
    chunkSize = 64 * 1024,
    tries = 5,
    options = {},
  }: { chunkSize?: number; tries?: number; options?: ReadOptions } = {},
): Promise<Doubling> {
  const initial = n;
  // Warm-up, so that compiling the reader is not counted against the small input.
  await readAll(make(n), chunkSize, options);
  // The input grows until the best read of the small one takes long enough that timer
  // resolution and a stray pause are noise: the first reads of a size can be slow ones and
  // must not decide that it is large enough.
  for (;;) {
    const small = make(n);
    const large = make(4 * n);
    await readAll(large, chunkSize, options);
    let bestSmall = Number.POSITIVE_INFINITY;
    let bestLarge = Number.POSITIVE_INFINITY;
    for (let i = 0; i < tries; i++) {
      bestSmall = Math.min(bestSmall, await timed(small, chunkSize, options));
      bestLarge = Math.min(bestLarge, await timed(large, chunkSize, options));
    }
    if (bestSmall >= minimumSmallMs || n >= maximumGrowth * initial)
      return { small: bestSmall, large: bestLarge, perDoubling: Math.sqrt(bestLarge / bestSmall) };
    n *= 2;
  }
}
