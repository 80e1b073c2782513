import { CrmsyncError } from '../../../core/index.js';

/**
 * Counts the heavy requests (previews, exports) in progress; one more than the limit is
 * refused before it reads its body, so a burst of uploads cannot exhaust memory or CPU.
 */
export class HeavyRequestGate {
  private inProgress = 0;

  constructor(private readonly limit: number) {}

  /** A release function to call once the answer is sent; throws `CRMSYNC_ERR_TOO_BUSY` when full. */
  enter(): () => void {
    if (this.inProgress >= this.limit) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_TOO_BUSY',
        `${this.limit} preview or export request(s) are already in progress; try again shortly (host.limits.heavyRequests)`,
      );
    }
    this.inProgress++;
    let released = false;
    return () => {
      if (!released) this.inProgress--;
      released = true;
    };
  }
}
