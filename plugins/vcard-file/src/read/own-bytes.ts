/**
 * The bytes of a card that holds embedded cards, without them: its own lines are gathered
 * here while the cards inside it are cut out and read on their own, so a card that lacks its
 * END:VCARD does not swallow the rest of the file.
 */
export class OwnBytes {
  private data = new Uint8Array(256);
  private used = 0;

  get length(): number {
    return this.used;
  }

  append(bytes: Uint8Array): void {
    const needed = this.used + bytes.length;
    if (needed > this.data.length) {
      const grown = new Uint8Array(Math.max(needed, 2 * this.data.length));
      grown.set(this.data.subarray(0, this.used));
      this.data = grown;
    }
    this.data.set(bytes, this.used);
    this.used = needed;
  }

  /** A copy of the first `end` bytes. */
  bytes(end = this.used): Uint8Array {
    return this.data.slice(0, end);
  }
}
