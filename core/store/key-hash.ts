/**
 * A blocking key as one integer below 2^53: exact as a JavaScript number, an integer column
 * in SQLite and a `bigint` in PostgreSQL. Ten million keys as integers take a fraction of
 * the room and the sorting time of the strings. Two keys sharing a hash (about one pair in
 * 10^15 compared) would only add a candidate, which the rules then judge like any other.
 */
export function keyHash(key: string): number {
  return (keyHashHigh(key) >>> 0) * 2 ** 21 + (keyHashLow(key) >>> 11);
}

/** FNV-1a over UTF-16 code units. */
export function keyHashHigh(key: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < key.length; at++) hash = Math.imul(hash ^ key.charCodeAt(at), 0x01000193);
  return hash | 0;
}

/** A multiplicative hash with another seed and mixing, independent enough of FNV-1a. */
export function keyHashLow(key: string): number {
  let hash = 0x2545f491 ^ key.length;
  for (let at = 0; at < key.length; at++) {
    hash = Math.imul(hash ^ key.charCodeAt(at), 0x5bd1e995);
    hash ^= hash >>> 13;
  }
  hash = Math.imul(hash ^ (hash >>> 15), 0x27d4eb2d);
  return (hash ^ (hash >>> 16)) | 0;
}
