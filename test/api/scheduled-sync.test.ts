import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ApiWorld } from './support/api-world.js';

describe('Scheduled syncs of the embedded host', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  before(async () => {
    api = await ApiWorld.open('vcard', { settings: { sync: { everyMinutes: 0.02 } } });
  });
  after(async () => api?.close());

  it('syncs the account by itself every interval, and lists each run with its job', async () => {
    api.world.addPartner({ id: 'GP-0001', name: 'Kaiser KG' });
    for (const lastName of ['Alt', 'Berg', 'Conrad'])
      api.world.addCrmContact({ partnerId: 'GP-0001', lastName });
    let runs: { status: string; summary: Record<string, unknown> }[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      runs = (await api.get('/sync-runs'))
        .json()
        .runs.filter((run: { status: string }) => run.status === 'committed');
      if (runs.some((run) => (run.summary.written as { groupware: number } | undefined)?.groupware === 3))
        break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const copied = runs.find(
      (run) => (run.summary.written as { groupware: number } | undefined)?.groupware === 3,
    );
    expect(copied, JSON.stringify(runs.map((run) => run.summary.written))).to.not.equal(undefined);
    expect(copied!.summary.job).to.deep.include({ kind: 'sync-scheduled', state: 'done' });
    expect((await api.world.groupwareContacts()).map((card) => card.surname).sort()).to.deep.equal([
      'Alt',
      'Berg',
      'Conrad',
    ]);
  });
});

describe('Scheduled syncs of several groupware accounts', function () {
  this.timeout(90_000);
  let api: ApiWorld;
  before(async () => {
    api = await ApiWorld.open('vcard', { accounts: 3 });
  });
  after(async () => api?.close());

  const committedRunsOf = async (accountId: string) =>
    (await api.get(`/sync-runs?account=${encodeURIComponent(accountId)}`))
      .json()
      .runs.filter((run: { status: string }) => run.status === 'committed') as {
      summary: Record<string, unknown>;
    }[];

  it('syncs each account by itself at its own interval, and an account set to 0 only when asked', async () => {
    api.world.addPartner({ id: 'GP-0001', name: 'Kaiser KG' });
    for (const lastName of ['Alt', 'Berg']) api.world.addCrmContact({ partnerId: 'GP-0001', lastName });
    const accounts = (await api.get('/groupware/accounts'))
      .json()
      .accounts.filter((account: { fallback: boolean }) => !account.fallback)
      .map((account: { id: string }) => account.id) as string[];
    expect(accounts).to.have.length(3);
    const [first, second, third] = accounts as [string, string, string];

    const configFile = join(api.world.configDir, 'crmsync.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    config.sync = {
      everyMinutes: 0.02,
      accounts: { [second]: { everyMinutes: 0.03 }, [third]: { everyMinutes: 0 } },
    };
    writeFileSync(configFile, JSON.stringify(config));
    await api.restart();

    const deadline = Date.now() + 45_000;
    const copied = (runs: { summary: Record<string, unknown> }[]) =>
      runs.some((run) => (run.summary.written as { groupware: number } | undefined)?.groupware === 2);
    while (Date.now() < deadline) {
      if (copied(await committedRunsOf(first)) && copied(await committedRunsOf(second))) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const [side, accountId] of [
      [api.world.side, first],
      [api.world.side.others[0]!, second],
    ] as const) {
      const runs = await committedRunsOf(accountId);
      expect(
        copied(runs),
        `${accountId}: ${JSON.stringify(runs.map((run) => run.summary.written))}`,
      ).to.equal(true);
      expect(runs[0]!.summary.job).to.deep.include({ kind: 'sync-scheduled', state: 'done' });
      expect(side.ids()).to.have.length(2);
    }
    expect(await committedRunsOf(third)).to.deep.equal([]);
    expect(api.world.side.others[1]!.ids()).to.deep.equal([]);
  });
});
