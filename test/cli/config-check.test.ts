import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { installationFor, seededCrmPerSuite } from './support/cli-world.js';

interface CheckAnswer {
  files: string[];
  problems: { file: string; pointer?: string; line?: number; code: string; message: string }[];
}

describe('crmsync config check', function () {
  this.timeout(60_000);
  const suite = seededCrmPerSuite(1, 1);

  it('passes a sound configuration with exit code 0', async () => {
    const cli = installationFor(suite.scratch, 'sound', suite.crm());
    const result = await cli.run('config', 'check');
    expect(result.code, result.stdout).to.equal(0);
    expect(result.stdout).to.contain('no problems');
  });

  it('lists the installed plugins with what each contributes', async () => {
    const cli = installationFor(suite.scratch, 'plugins', suite.crm());
    const result = await cli.run('plugins', '--json');
    expect(result.code, result.stderr).to.equal(0);
    const answer = JSON.parse(result.stdout) as {
      ready: boolean;
      contributions: { pluginId: string; point: string; id: string }[];
    };
    expect(answer.ready).to.equal(true);
    expect(answer.contributions.find((contribution) => contribution.id === 'vcard-single')).to.include({
      pluginId: 'vcard-file',
      point: 'exportOptions',
    });
  });

  it('names every problem of every broken file with its file and JSON pointer', async () => {
    const cli = installationFor(suite.scratch, 'broken', suite.crm());
    writeFileSync(
      join(cli.configDir, 'crmsync.json'),
      JSON.stringify({ host: { port: 70000, colour: 'red' }, store: { kind: 'mongodb' } }),
    );
    writeFileSync(join(cli.configDir, 'plugins', 'vcard-file.json'), JSON.stringify({ version: '2.1' }));
    writeFileSync(join(cli.configDir, 'plugins', 'dedupe-rules.json'), '{\n  "oops": }');
    writeFileSync(join(cli.configDir, 'plugins', 'no-such-plugin.json'), '{}');

    const result = await cli.run('config', 'check', '--json');
    expect(result.code).to.equal(3);
    const { problems } = JSON.parse(result.stdout) as CheckAnswer;
    const where = problems.map(
      (problem) =>
        `${problem.file.slice(cli.configDir.length)} ${problem.pointer ?? problem.message.slice(0, 'not valid JSON'.length)}`,
    );
    expect(where).to.include.members([
      '/crmsync.json /host/port',
      '/crmsync.json /host/colour',
      '/crmsync.json /store/kind',
      '/plugins/vcard-file.json /version',
      '/plugins/dedupe-rules.json not valid JSON',
      '/plugins/no-such-plugin.json ',
    ]);

    const lines = await cli.run('config', 'check');
    expect(lines.code).to.equal(3);
    expect(lines.stdout).to.contain(
      `${join(cli.configDir, 'plugins', 'vcard-file.json')}, at /version: must be one of "3.0", "4.0"`,
    );
  });
});
