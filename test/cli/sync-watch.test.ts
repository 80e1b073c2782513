import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { ContactDoc, CrmServer } from '../../emulators/crm/index.js';
import type { CrmsyncProcess } from '../support/host-process.js';
import { type Installation, installationFor, seededCrmPerSuite } from './support/cli-world.js';
import { nextOutput, startCli } from './support/long-running.js';

interface RunsAnswer {
  runs: { id: string; kind: string; status: string }[];
}

const syncLine = /Sync plan \S+ \((\S+)\): (\d+) changes?\n/;
const writtenLine = /Written: (\d+) in the CRM, (\d+) in the groupware\.\n/;

function contactsOf(crm: CrmServer): ContactDoc[] {
  return crm.store.searchContacts({}, 0, 100).docs.map((doc) => JSON.parse(doc) as ContactDoc);
}

function retitle(crm: CrmServer, contact: ContactDoc, jobTitle: string): void {
  const changed = crm.store.updateContact(
    contact.id,
    { ...contact, jobTitle },
    undefined,
    new Date().toISOString(),
  );
  expect(changed.ok, JSON.stringify(changed)).to.equal(true);
}

describe('crmsync sync --watch', function () {
  this.timeout(180_000);
  const suite = seededCrmPerSuite(4, 2);
  let cli: Installation;
  let watch: CrmsyncProcess | undefined;
  const folder = () => join(cli.dataDir, 'plugins', 'vcard-file', 'vcards');
  const cardFiles = () => readdirSync(folder()).filter((name) => name.endsWith('.vcf'));
  const cards = () => cardFiles().map((name) => readFileSync(join(folder(), name), 'utf8'));

  before(async () => {
    cli = installationFor(suite.scratch, 'watch', suite.crm());
    const exported = await cli.run('export', '--to', 'groupware');
    expect(exported.code, exported.stdout + exported.stderr).to.equal(0);
    expect(cards()).to.have.length(4);
  });
  afterEach(async () => {
    // A watch a failed test left running must not outlive it.
    if (watch && watch.child.exitCode === null && watch.child.signalCode === null)
      await watch.stop('SIGKILL');
    watch = undefined;
    suite.crm().faults.clear();
  });

  /** Everything a stopped watch must leave behind: whole cards, finished runs, nothing pending. */
  async function expectNothingHalfWritten(): Promise<void> {
    const leftovers = readdirSync(folder()).filter((name) => !name.endsWith('.vcf'));
    expect(leftovers, 'no temporary file is left in the vCard folder').to.deep.equal([]);
    for (const card of cards()) {
      expect(card).to.match(/^BEGIN:VCARD\r?\n/);
      expect(card).to.match(/END:VCARD\r?\n$/);
    }
    const runs = await cli.run('runs', '--kind', 'sync', '--limit', '100', '--json');
    expect(runs.code, runs.stdout + runs.stderr).to.equal(0);
    const unfinished = (JSON.parse(runs.stdout) as RunsAnswer).runs.filter((run) =>
      ['building', 'committing', 'failed'].includes(run.status),
    );
    expect(unfinished, 'every run the watch started was finished').to.deep.equal([]);
  }

  it('syncs at once, carries a later CRM change on its next run, and exits with 0 on SIGINT', async () => {
    watch = await startCli(['sync', '--watch', '--interval', '1'], cli.env, syncLine);
    const first = await nextOutput(watch, writtenLine, 0);
    expect(first.match.slice(1, 3), 'the first run finds everything in step').to.deep.equal(['0', '0']);

    const [contact] = contactsOf(suite.crm());
    retitle(suite.crm(), contact!, 'Leiterin Einkauf');
    const carried = await nextOutput(watch, /Written: 0 in the CRM, 1 in the groupware\.\n/, first.end);
    expect(cards().filter((card) => card.includes('Leiterin Einkauf'))).to.have.length(1);
    // Runs go on after the one that carried the change, and find nothing more to do.
    await nextOutput(watch, /Written: 0 in the CRM, 0 in the groupware\.\n/, carried.end);

    expect(await watch.stop('SIGINT'), watch.output()).to.equal(0);
    expect(watch.output()).to.not.match(/sync failed|crmsync:/);
    await expectNothingHalfWritten();
    const after = await cli.run('sync', '--once');
    expect(after.code, `nothing was left for the next sync\n${after.stdout}${after.stderr}`).to.equal(5);
  });

  it('finishes the write in flight when SIGTERM comes, exits with 0, and carries a vCard edit whole', async () => {
    watch = await startCli(['sync', '--watch', '--interval', '1'], cli.env, writtenLine);
    const from = watch.output().length;
    const stalled = suite.crm().faults.hold({ method: 'PUT', pathPrefix: '/api/v1/contacts/' });
    const [name] = cardFiles();
    const card = readFileSync(join(folder(), name!), 'utf8');
    const edited = /^TITLE:.*$/m.test(card)
      ? card.replace(/^TITLE:.*$/m, 'TITLE:Einkaufsleiterin Nord')
      : card.replace(/END:VCARD/, 'TITLE:Einkaufsleiterin Nord\r\nEND:VCARD');
    // As an editor saves it: the whole new card at once, never a half-written file.
    const saved = join(cli.dataDir, `${name}.saved`);
    writeFileSync(saved, edited);
    renameSync(saved, join(folder(), name!));

    const deadline = Date.now() + 60_000;
    while (stalled.held === 0) {
      if (Date.now() > deadline) throw new Error(`the edit never reached the CRM:\n${watch.output()}`);
      await sleep(50);
    }
    watch.child.kill('SIGTERM');
    await sleep(500);
    expect(watch.child.exitCode, 'the watch waits for the write in flight').to.equal(null);
    stalled.release();

    expect(await watch.exited, watch.output()).to.equal(0);
    expect(watch.output().slice(from)).to.contain('Written: 1 in the CRM, 0 in the groupware.');
    expect(watch.output()).to.not.match(/sync failed|crmsync:/);
    const titled = contactsOf(suite.crm()).filter((contact) => contact.jobTitle === 'Einkaufsleiterin Nord');
    expect(titled, 'the edit reached the CRM once').to.have.length(1);
    await expectNothingHalfWritten();
    const after = await cli.run('sync', '--once');
    expect(after.code, `nothing was left for the next sync\n${after.stdout}${after.stderr}`).to.equal(5);
  });
});
