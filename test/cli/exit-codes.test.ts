import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { installationFor, seededCrmPerSuite, startSeededCrm } from './support/cli-world.js';

describe('crmsync exit codes', function () {
  this.timeout(120_000);
  const suite = seededCrmPerSuite(6, 2);

  it('exits with 0 when an export was written, and with 5 when the criteria find nobody', async () => {
    const cli = installationFor(suite.scratch, 'codes', suite.crm());
    const written = await cli.run(
      'export',
      '--to',
      `vcard:${join(suite.scratch, 'all.vcf')}`,
      '--format',
      '4.0',
    );
    expect(written.code, written.stdout + written.stderr).to.equal(0);
    const nobody = await cli.run('export', '--query', 'name=Niemand-Nirgendwo', '--to', 'groupware');
    expect(nobody.code, nobody.stdout + nobody.stderr).to.equal(5);
    expect(nobody.stdout).to.contain('Nothing to export.');
  });

  it('exits with 2 on an unknown option, a wrong target or a file that is not there, writing nothing', async () => {
    const cli = installationFor(suite.scratch, 'bad', suite.crm());
    expect((await cli.run('export', '--to', 'groupware', '--colour', 'red')).code).to.equal(2);
    const target = await cli.run('export', '--to', 'outlook', '--json');
    expect(target.code).to.equal(2);
    expect(JSON.parse(target.stdout).error).to.include({
      code: 'CRMSYNC_ERR_REQUEST_INVALID',
      field: '--to',
    });
    const missing = await cli.run('import', '--from', `vcard:${join(suite.scratch, 'nowhere.vcf')}`);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.contain('nowhere.vcf');
    const partner = await cli.run('import', '--from', 'groupware', '--partner', 'P-nobody');
    expect(partner.code).to.equal(2);
    expect(partner.stderr).to.contain('the CRM has no business partner P-nobody');
    expect((await cli.run('runs', '--json')).code, 'no plan was left behind').to.equal(5);
  });

  it('exits with 4 when some cards were imported and others could not be read', async () => {
    const cli = installationFor(suite.scratch, 'partial', suite.crm());
    const file = join(suite.scratch, 'half.vcf');
    writeFileSync(
      file,
      'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Neu;Nora\r\nFN:Nora Neu\r\nEMAIL:nora@neu.example\r\nEND:VCARD\r\nBEGIN:VCARD\r\nbroken\r\n',
    );
    const result = await cli.run(
      'import',
      '--from',
      `vcard:${file}`,
      '--partner',
      suite
        .crm()
        .store.searchPartners({}, 0, 1)
        .docs.map((doc) => JSON.parse(doc).id)[0],
    );
    expect(result.code, result.stdout + result.stderr).to.equal(4);
    expect(result.stdout).to.contain('Imported 1 of 1 contacts.');
  });

  it('exits with 3 when the configuration is broken, naming the file and setting', async () => {
    const cli = installationFor(suite.scratch, 'broken-config', suite.crm());
    writeFileSync(join(cli.configDir, 'crmsync.json'), JSON.stringify({ store: { kind: 'mongodb' } }));
    const result = await cli.run('plugins');
    expect(result.code).to.equal(3);
    expect(result.stderr).to.contain('crmsync.json');
    expect(result.stderr).to.contain('/store/kind');
  });

  it('exits with 1 when the CRM does not answer', async () => {
    const gone = await startSeededCrm(1, 1);
    const cli = installationFor(suite.scratch, 'gone', gone);
    await gone.close();
    const result = await cli.run('export', '--to', 'groupware', '--dry-run');
    expect(result.code, result.stdout + result.stderr).to.equal(1);
  });
});
