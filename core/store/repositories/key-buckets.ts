/**
 * Blocking keys filed by bucket: each bucket holds the (key hash, ordinal) pairs whose hash
 * falls in it, as one value. Ten million keys make a million rows instead of ten million,
 * and a row is far cheaper to write than to index, in either database.
 */
export const BUCKET_COUNT = 2 ** 20;

/**
 * The hash's lowest 20 bits. `>>> 0` keeps the lowest 32 bits of an integer below 2^53 exactly;
 * it costs a nanosecond where `%` on a number that large is a floating-point remainder twenty
 * times as slow, and a rebuild asks this of every one of ten million keys twice.
 */
export function bucketOf(hash: number): number {
  return (hash >>> 0) & (BUCKET_COUNT - 1);
}

const PAIR_BYTES = 16;

/** Pairs of (key hash, ordinal), grown as a rebuild adds them; typed arrays keep ten million small. */
export class KeyPairs {
  hashes = new Float64Array(1 << 16);
  ordinals = new Float64Array(1 << 16);
  length = 0;

  add(hash: number, ordinal: number): void {
    if (this.length === this.hashes.length) {
      const hashes = new Float64Array(this.length * 2);
      hashes.set(this.hashes);
      const ordinals = new Float64Array(this.length * 2);
      ordinals.set(this.ordinals);
      this.hashes = hashes;
      this.ordinals = ordinals;
    }
    this.hashes[this.length] = hash;
    this.ordinals[this.length++] = ordinal;
  }

  /**
   * Every non-empty bucket in bucket order with its pairs encoded, by a counting sort: one
   * pass to count, one to place each pair straight into one shared buffer, of which each
   * bucket's value is a view. Ten million pairs take well under a second.
   */
  *byBucket(): Generator<[number, Uint8Array]> {
    const starts = new Int32Array(BUCKET_COUNT + 1);
    for (let at = 0; at < this.length; at++) starts[bucketOf(this.hashes[at]!) + 1]!++;
    for (let bucket = 0; bucket < BUCKET_COUNT; bucket++) starts[bucket + 1]! += starts[bucket]!;
    const next = starts.slice(0, BUCKET_COUNT);
    const encoded = new ArrayBuffer(this.length * PAIR_BYTES);
    const view = new DataView(encoded);
    for (let at = 0; at < this.length; at++) {
      const hash = this.hashes[at]!;
      const offset = next[bucketOf(hash)]!++ * PAIR_BYTES;
      view.setFloat64(offset, hash, true);
      view.setFloat64(offset + 8, this.ordinals[at]!, true);
    }
    for (let bucket = 0; bucket < BUCKET_COUNT; bucket++) {
      const from = starts[bucket]!;
      const to = starts[bucket + 1]!;
      if (from < to) yield [bucket, Buffer.from(encoded, from * PAIR_BYTES, (to - from) * PAIR_BYTES)];
    }
  }
}

export function encodePairs(pairs: readonly (readonly [number, number])[]): Uint8Array {
  const bytes = Buffer.allocUnsafe(pairs.length * PAIR_BYTES);
  pairs.forEach(([hash, ordinal], at) => {
    bytes.writeDoubleLE(hash, at * PAIR_BYTES);
    bytes.writeDoubleLE(ordinal, at * PAIR_BYTES + 8);
  });
  return bytes;
}

/** A contact's key hashes as one value, eight bytes each. */
export function encodeHashes(hashes: ArrayLike<number>): Uint8Array {
  const bytes = Buffer.allocUnsafe(hashes.length * 8);
  for (let at = 0; at < hashes.length; at++) bytes.writeDoubleLE(hashes[at]!, at * 8);
  return bytes;
}

export function decodeHashes(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hashes: number[] = [];
  for (let at = 0; at + 8 <= bytes.byteLength; at += 8) hashes.push(view.getFloat64(at, true));
  return hashes;
}

/** Calls `each` with every pair of a bucket's value. */
export function forEachPair(bytes: Uint8Array, each: (hash: number, ordinal: number) => void): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + PAIR_BYTES <= bytes.byteLength; at += PAIR_BYTES)
    each(view.getFloat64(at, true), view.getFloat64(at + 8, true));
}
