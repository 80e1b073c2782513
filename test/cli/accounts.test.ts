import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { installationFor, seededCrmPerSuite } from './support/cli-world.js';

interface AccountsAnswer {
  accounts: { id: string; default: boolean; accountKey: string; health: { ok: boolean } }[];
}

describe('crmsync with two vCard folders: accounts and --account', function () {
  this.timeout(120_000);
  const suite = seededCrmPerSuite(3, 1);

  it('lists both folders, the default first, and syncs, exports and lists runs of the one named', async () => {
    const cli = installationFor(suite.scratch, 'two-folders', suite.crm());
    const defaultFolder = join(cli.dataDir, 'plugins', 'vcard-file', 'vcards');
    const secondFolder = join(suite.scratch, 'two-folders', 'zweiter-ordner');
    mkdirSync(secondFolder, { recursive: true });
    writeFileSync(
      join(cli.configDir, 'plugins', 'vcard-file.json'),
      JSON.stringify({ folders: [secondFolder] }),
    );

    const listed = await cli.run('accounts', '--json');
    expect(listed.code, listed.stdout + listed.stderr).to.equal(0);
    const { accounts } = JSON.parse(listed.stdout) as AccountsAnswer;
    expect(accounts.map((account) => [account.accountKey, account.default])).to.deep.equal([
      [defaultFolder, true],
      [secondFolder, false],
    ]);
    const second = accounts[1]!.id;

    const exported = await cli.run('export', '--to', 'groupware', '--account', second);
    expect(exported.code, exported.stdout + exported.stderr).to.equal(0);
    expect(readdirSync(secondFolder)).to.have.length(3);
    expect(readdirSync(defaultFolder)).to.deep.equal([]);

    const synced = await cli.run('sync', '--account', second, '--json');
    expect(synced.code, synced.stdout + synced.stderr).to.equal(5);
    expect(JSON.parse(synced.stdout).plan.accountId).to.equal(second);
    expect(readdirSync(defaultFolder), 'the default folder is not synced by that run').to.deep.equal([]);

    const runs = JSON.parse((await cli.run('runs', '--account', accounts[0]!.id, '--json')).stdout);
    expect(runs.runs).to.deep.equal([]);
  });

  it('refuses an account nobody configured with exit code 2, naming the accounts there are', async () => {
    const cli = installationFor(suite.scratch, 'unknown-account', suite.crm());
    const result = await cli.run('sync', '--account', 'vcard-file:/nirgendwo');
    expect(result.code, result.stdout + result.stderr).to.equal(2);
    expect(result.stderr).to.contain('CRMSYNC_ERR_ACCOUNT_UNKNOWN').and.contain('vcard-file:');
  });
});
