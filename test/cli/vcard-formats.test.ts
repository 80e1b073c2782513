import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { PlanHeader } from '../../core/index.js';
import { installationFor, seededCrmPerSuite } from './support/cli-world.js';

describe('crmsync export to vCard', function () {
  this.timeout(60_000);
  const suite = seededCrmPerSuite(4, 2);

  it('writes one file in the vCard version asked for', async () => {
    const cli = installationFor(suite.scratch, 'formats', suite.crm());
    for (const format of ['3.0', '4.0']) {
      const file = join(suite.scratch, `v${format}.vcf`);
      const result = await cli.run('export', '--to', `vcard:${file}`, '--format', format);
      expect(result.code, result.stdout + result.stderr).to.equal(0);
      const versions = readFileSync(file, 'utf8').match(/^VERSION:.*$/gm);
      expect(versions).to.deep.equal(Array(4).fill(`VERSION:${format}`));
    }
  });

  it('writes one file per contact into a folder for Outlook', async () => {
    const cli = installationFor(suite.scratch, 'per-contact', suite.crm());
    const folder = join(suite.scratch, 'outlook');
    const result = await cli.run('export', '--to', `vcard:${folder}`, '--one-file-per-contact');
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    const files = readdirSync(folder);
    expect(files).to.have.length(4);
    expect(files.every((name) => name.endsWith('.vcf'))).to.equal(true);
  });

  it('shows the plan on a dry run and writes no file', async () => {
    const cli = installationFor(suite.scratch, 'dry', suite.crm());
    const file = join(suite.scratch, 'dry.vcf');
    const result = await cli.run('export', '--to', `vcard:${file}`, '--dry-run', '--json');
    expect(result.code, result.stderr).to.equal(0);
    const answer = JSON.parse(result.stdout) as { plan: { status: string }; items: { action: string }[] };
    expect(answer.plan.status).to.equal('cancelled');
    expect(answer.items.map((item) => item.action)).to.deep.equal(['create', 'create', 'create', 'create']);
    expect(() => readFileSync(file)).to.throw(/ENOENT/);
  });

  it('goes through an export plan as an export to the groupware does: the same lines, the plan committed', async () => {
    const cli = installationFor(suite.scratch, 'planned', suite.crm());
    const file = join(suite.scratch, 'planned.vcf');
    const result = await cli.run('export', '--to', `vcard:${file}`, '--format', '4.0');
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/^Export plan [0-9a-f-]+: 4 found, 4 to export$/m);
    expect(result.stdout.match(/^ {2}create /gm)).to.have.length(4);
    expect(result.stdout).to.contain(`Exported 4 of 4 to ${file}.`);
    // Standard error is no terminal here: the plan's progress comes as a plain line, the last one final.
    expect(result.stderr).to.contain('planning, contacts classified of read: 4 of 4\n');

    const runs = await cli.run('runs', '--kind', 'export', '--json');
    const [run] = (JSON.parse(runs.stdout) as { runs: PlanHeader[] }).runs;
    expect(run).to.deep.include({ status: 'committed' });
    expect(run!.options).to.deep.include({
      exportOption: 'vcard-single',
      exportSettings: { formatVersion: '4.0' },
    });
    expect(run!.summary).to.deep.include({ exported: 4, notExported: [] });
  });
});
