import type { Runtime } from '../runtime.js';

/** Asks for the account's scheduled sync of the interval `slot` (interval number since the epoch). */
export type ScheduledSyncRequest = (
  accountId: string,
  slot: number,
  intervalSeconds: number,
) => Promise<void>;

/** How often the schedule looks whether an account's interval has had its sync, as a share of the shortest interval. */
const looksPerInterval = 4;

/**
 * Syncs each account of the groupware connector every `sync.everyMinutes`, or at the interval
 * `sync.accounts` gives that account (0: only when asked). Each process that runs jobs looks a
 * few times per interval whether an account's current interval has had its sync and asks for
 * it if not; with a shared queue, the queue keeps one per account and interval however many
 * processes ask (a unique index in the database), so several workers never sync an account
 * twice in one interval. The first interval's syncs run when the process starts.
 */
export class SyncSchedule {
  private timer?: NodeJS.Timeout;
  private accountIds?: string[];
  private readonly askedSlots = new Map<string, number>();

  constructor(
    private readonly runtime: Runtime,
    private readonly request: ScheduledSyncRequest,
  ) {}

  /** The account's interval in seconds; 0 when it is synced only when asked. */
  intervalSeconds(accountId: string): number {
    const { sync } = this.runtime.config;
    const minutes = sync.accounts[accountId]?.everyMinutes ?? sync.everyMinutes;
    return minutes <= 0 ? 0 : Math.max(1, Math.round(minutes * 60));
  }

  start(): void {
    const { sync } = this.runtime.config;
    const minutes = [sync.everyMinutes, ...Object.values(sync.accounts).map((entry) => entry.everyMinutes)];
    const shortest = Math.min(...minutes.filter((value) => value > 0));
    if (!Number.isFinite(shortest)) return;
    const lookEveryMs = Math.min(30_000, Math.max(250, (shortest * 60_000) / looksPerInterval));
    this.timer = setInterval(() => void this.tick(), lookEveryMs);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    let accountIds: string[];
    try {
      accountIds = await this.accounts();
    } catch (error) {
      this.warn(error, 'could not list the groupware accounts to sync');
      return;
    }
    for (const accountId of accountIds) {
      const intervalSeconds = this.intervalSeconds(accountId);
      if (intervalSeconds === 0) continue;
      const slot = Math.floor(Date.now() / 1000 / intervalSeconds);
      if (this.askedSlots.get(accountId) === slot) continue;
      try {
        await this.request(accountId, slot, intervalSeconds);
        this.askedSlots.set(accountId, slot);
      } catch (error) {
        // The groupware or the queue may be out of reach for now: the next look asks again.
        this.warn(error, `could not ask for the scheduled sync of ${accountId}`);
      }
    }
  }

  private async accounts(): Promise<string[]> {
    if (this.accountIds) return this.accountIds;
    const accountIds = (await this.runtime.services.accounts.syncable()).map((account) => account.id);
    for (const named of Object.keys(this.runtime.config.sync.accounts))
      if (!accountIds.includes(named))
        this.runtime.logger.warn(
          'sync.accounts names "%s", which is not an account of the groupware connector; its accounts are %s',
          named,
          accountIds.map((id) => `"${id}"`).join(', '),
        );
    this.accountIds = accountIds;
    return accountIds;
  }

  private warn(error: unknown, what: string): void {
    this.runtime.logger.warn({ err: error }, '%s: %s', what, (error as Error).message);
  }
}
