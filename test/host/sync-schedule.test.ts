import { format } from 'node:util';
import { expect } from 'chai';
import { SyncSchedule } from '../../host/jobs/sync-schedule.js';
import type { Runtime } from '../../host/runtime.js';

/** The parts of a runtime the schedule reads, with the warnings it logs kept as text. */
function runtimeWith(sync: { everyMinutes: number; accounts: Record<string, { everyMinutes: number }> }) {
  const warnings: string[] = [];
  const runtime = {
    config: { sync },
    services: { accounts: { syncable: async () => [{ id: 'vcard-file:/srv/vertrieb' }] } },
    logger: { warn: (...args: unknown[]) => warnings.push(format(...args)) },
  } as unknown as Runtime;
  return { runtime, warnings };
}

describe('The sync schedule and its configuration', () => {
  it('says which account of sync.accounts is none of the groupware’s, naming those there are, and syncs the others', async () => {
    const { runtime, warnings } = runtimeWith({
      everyMinutes: 5,
      accounts: { 'vcard-file:/srv/vertreib': { everyMinutes: 1 } },
    });
    const asked: string[] = [];
    const schedule = new SyncSchedule(runtime, async (accountId) => {
      asked.push(accountId);
    });
    schedule.start();
    try {
      const deadline = Date.now() + 5_000;
      while (asked.length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      schedule.stop();
    }
    expect(asked).to.deep.equal(['vcard-file:/srv/vertrieb']);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.equal(
      'sync.accounts names "vcard-file:/srv/vertreib", which is not an account of the groupware connector; its accounts are "vcard-file:/srv/vertrieb"',
    );
  });
});
