import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { CrmServer } from '../../emulators/crm/index.js';
import { installationFor, scratchFolder, startSeededCrm } from './support/cli-world.js';

describe('crmsync export to vCard', function () {
  this.timeout(60_000);
  const scratch = scratchFolder();
  let crm: CrmServer;

  before(async () => {
    crm = await startSeededCrm(4, 2);
  });
  after(async () => {
    await crm?.close();
    scratch.cleanUp();
  });

  it('writes one file in the vCard version asked for', async () => {
    const cli = installationFor(scratch.path, 'formats', crm);
    for (const format of ['3.0', '4.0']) {
      const file = join(scratch.path, `v${format}.vcf`);
      const result = await cli.run('export', '--to', `vcard:${file}`, '--format', format);
      expect(result.code, result.stdout + result.stderr).to.equal(0);
      const versions = readFileSync(file, 'utf8').match(/^VERSION:.*$/gm);
      expect(versions).to.deep.equal(Array(4).fill(`VERSION:${format}`));
    }
  });

  it('writes one file per contact into a folder for Outlook', async () => {
    const cli = installationFor(scratch.path, 'per-contact', crm);
    const folder = join(scratch.path, 'outlook');
    const result = await cli.run('export', '--to', `vcard:${folder}`, '--one-file-per-contact');
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    const files = readdirSync(folder);
    expect(files).to.have.length(4);
    expect(files.every((name) => name.endsWith('.vcf'))).to.equal(true);
  });

  it('shows the plan on a dry run and writes no file', async () => {
    const cli = installationFor(scratch.path, 'dry', crm);
    const file = join(scratch.path, 'dry.vcf');
    const result = await cli.run('export', '--to', `vcard:${file}`, '--dry-run', '--json');
    expect(result.code, result.stderr).to.equal(0);
    const answer = JSON.parse(result.stdout) as { plan: { status: string }; items: { action: string }[] };
    expect(answer.plan.status).to.equal('cancelled');
    expect(answer.items.map((item) => item.action)).to.deep.equal(['create', 'create', 'create', 'create']);
    expect(() => readFileSync(file)).to.throw(/ENOENT/);
  });
});
