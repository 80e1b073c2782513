import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { ContactDoc } from '../../emulators/crm/index.js';
import { installationFor, seededCrmPerSuite } from './support/cli-world.js';

interface RunsAnswer {
  runs: { id: string; kind: string; status: string }[];
}

describe('crmsync sync, runs and undo', function () {
  this.timeout(120_000);
  const suite = seededCrmPerSuite(5, 2);

  it('syncs a CRM change to the groupware, lists the run, and undoes it', async () => {
    const cli = installationFor(suite.scratch, 'sync', suite.crm());
    const exported = await cli.run('export', '--to', 'groupware');
    expect(exported.code, exported.stdout + exported.stderr).to.equal(0);
    const folder = join(cli.dataDir, 'plugins', 'vcard-file', 'vcards');
    const cards = () => readdirSync(folder).map((name) => readFileSync(join(folder, name), 'utf8'));
    expect(cards()).to.have.length(5);

    const first = await cli.run('sync', '--once');
    expect(first.code, first.stdout + first.stderr).to.equal(5);

    const contact = JSON.parse(suite.crm().store.searchContacts({}, 0, 1).docs[0]!) as ContactDoc;
    const renamed = suite
      .crm()
      .store.updateContact(
        contact.id,
        { ...contact, jobTitle: 'Leiterin Einkauf' },
        undefined,
        new Date().toISOString(),
      );
    expect(renamed.ok).to.equal(true);
    const synced = await cli.run('sync', '--once', '--json');
    expect(synced.code, synced.stdout + synced.stderr).to.equal(0);
    expect(JSON.parse(synced.stdout).written).to.deep.equal({ crm: 0, groupware: 1 });
    expect(cards().filter((card) => card.includes('Leiterin Einkauf'))).to.have.length(1);

    const runs = JSON.parse((await cli.run('runs', '--kind', 'sync', '--json')).stdout) as RunsAnswer;
    const latest = runs.runs[0]!;
    expect(latest).to.include({ kind: 'sync', status: 'committed' });

    const undone = await cli.run('undo', latest.id);
    expect(undone.code, undone.stdout + undone.stderr).to.equal(0);
    expect(undone.stdout).to.contain(`Undid run ${latest.id}`);
    expect(cards().filter((card) => card.includes('Leiterin Einkauf'))).to.have.length(0);
  });

  it('refuses to undo a run that does not exist, with exit code 2', async () => {
    const cli = installationFor(suite.scratch, 'no-run', suite.crm());
    const result = await cli.run('undo', 'no-such-run');
    expect(result.code, result.stdout + result.stderr).to.equal(2);
  });
});

describe('crmsync import from the groupware', function () {
  this.timeout(60_000);
  const suite = seededCrmPerSuite(2, 1);

  it('names each groupware contact by its id and imports it with the partner given', async () => {
    const cli = installationFor(suite.scratch, 'groupware', suite.crm());
    const folder = join(cli.dataDir, 'plugins', 'vcard-file', 'vcards');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, 'neu.vcf'),
      'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Neumann;Nele\r\nFN:Nele Neumann\r\nEMAIL:nele@neumann.example\r\nEND:VCARD\r\n',
    );
    const partner = JSON.parse(suite.crm().store.searchPartners({}, 0, 1).docs[0]!) as { id: string };

    const dry = await cli.run(
      'import',
      '--from',
      'groupware',
      '--partner',
      partner.id,
      '--dry-run',
      '--json',
    );
    expect(dry.code, dry.stdout + dry.stderr).to.equal(0);
    const [entry, ...others] = (JSON.parse(dry.stdout) as { entries: Record<string, unknown>[] }).entries;
    expect(others).to.deep.equal([]);
    expect(entry).to.deep.include({ source: { groupwareId: 'neu.vcf' }, verdict: 'none', findings: [] });
    expect(entry!.partner).to.deep.include({ id: partner.id, reason: 'chosen by the user' });

    const imported = await cli.run('import', '--from', 'groupware', '--partner', partner.id);
    expect(imported.code, imported.stdout + imported.stderr).to.equal(0);
    const created = suite
      .crm()
      .store.searchContacts({ name: 'Neumann' }, 0, 10)
      .docs.map((doc) => JSON.parse(doc) as ContactDoc);
    expect(created.map((contact) => contact.partnerId)).to.deep.equal([partner.id]);
  });
});
