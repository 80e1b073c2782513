/**
 * What a rule derived of the object it was asked about last: the engine asks for a contact's
 * profile and then for its keys, and about one incoming contact (and its profile) against
 * its candidates in a row, so one remembered object spares deriving it again without
 * keeping any garbage alive.
 */
export class LastDerived<From extends object, To> {
  private from?: From;
  private value?: To;

  constructor(private readonly derive: (from: From) => To) {}

  of(from: From): To {
    if (from !== this.from) {
      this.value = this.derive(from);
      this.from = from;
    }
    return this.value as To;
  }
}
