import { keyHashHigh as hashHigh, keyHashLow as hashLow } from '../../store/key-hash.js';

/**
 * A hash table from blocking key to the ordinals of the contacts that have it, in typed
 * arrays: a million contacts with a dozen keys each would need gigabytes as strings in a
 * `Map` (and exceed its 16.7 million entries). A key is held as two independent 32-bit
 * hashes; two keys sharing both (about one pair in 10^19) would only add a candidate, which
 * the rules then judge like any other.
 */
export class KeyTable {
  private hashHigh = new Int32Array(1 << 16);
  private hashLow = new Int32Array(1 << 16);
  /** Head of each slot's posting list; -1 for an empty slot. */
  private head = new Int32Array(1 << 16).fill(-1);
  private used = 0;
  private postingOrdinal = new Int32Array(1 << 16);
  private postingNext = new Int32Array(1 << 16);
  private postings = 0;

  add(key: string, ordinal: number): void {
    const high = hashHigh(key);
    const low = hashLow(key);
    if ((this.used + 1) * 10 > this.head.length * 7) this.growSlots();
    const slot = this.find(high, low);
    if (this.head[slot] === -1) {
      this.hashHigh[slot] = high;
      this.hashLow[slot] = low;
      this.used++;
    }
    if (this.postings === this.postingOrdinal.length) this.growPostings();
    this.postingOrdinal[this.postings] = ordinal;
    this.postingNext[this.postings] = this.head[slot]!;
    this.head[slot] = this.postings++;
  }

  /**
   * The first posting filed under `key` (newest first), -1 when none; walk on with `next` and
   * read each one's contact with `ordinal`. No callback per posting: this is the hot loop.
   */
  first(key: string): number {
    return this.head[this.find(hashHigh(key), hashLow(key))]!;
  }

  next(posting: number): number {
    return this.postingNext[posting]!;
  }

  ordinal(posting: number): number {
    return this.postingOrdinal[posting]!;
  }

  clear(): void {
    this.head.fill(-1);
    this.used = 0;
    this.postings = 0;
  }

  /** The slot holding the key, or the empty slot where it belongs (linear probing). */
  private find(high: number, low: number): number {
    const mask = this.head.length - 1;
    let slot = (high ^ Math.imul(low, 0x9e3779b1)) & mask;
    while (this.head[slot] !== -1 && (this.hashHigh[slot] !== high || this.hashLow[slot] !== low))
      slot = (slot + 1) & mask;
    return slot;
  }

  private growSlots(): void {
    const { hashHigh: oldHigh, hashLow: oldLow, head: oldHead } = this;
    const size = oldHead.length * 2;
    this.hashHigh = new Int32Array(size);
    this.hashLow = new Int32Array(size);
    this.head = new Int32Array(size).fill(-1);
    for (let slot = 0; slot < oldHead.length; slot++) {
      if (oldHead[slot] === -1) continue;
      const target = this.find(oldHigh[slot]!, oldLow[slot]!);
      this.hashHigh[target] = oldHigh[slot]!;
      this.hashLow[target] = oldLow[slot]!;
      this.head[target] = oldHead[slot]!;
    }
  }

  private growPostings(): void {
    const ordinals = new Int32Array(this.postingOrdinal.length * 2);
    ordinals.set(this.postingOrdinal);
    const next = new Int32Array(this.postingNext.length * 2);
    next.set(this.postingNext);
    this.postingOrdinal = ordinals;
    this.postingNext = next;
  }
}
