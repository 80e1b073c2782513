import { expect } from 'chai';
import type { Command } from 'commander';
import { buildProgram } from '../../host/cli/program.js';
import { runCli, scratchFolder } from './support/cli-world.js';

/** Every command a user can type, as its words after `crmsync` (the program itself first, as []). */
function commandPaths(command: Command, path: string[] = []): string[][] {
  return [path, ...command.commands.flatMap((sub) => commandPaths(sub, [...path, sub.name()]))];
}

describe('crmsync --help', function () {
  this.timeout(120_000);
  const scratch = scratchFolder();
  after(() => scratch.cleanUp());
  const paths = commandPaths(buildProgram(() => undefined));

  it('knows the commands the issue promises, so the loop below covers them all', () => {
    const spelt = paths.map((path) => path.join(' '));
    expect(spelt).to.include.members([
      '',
      'serve',
      'plugins',
      'config check',
      'export',
      'import',
      'sync',
      'runs',
      'undo',
      'users create',
      'tokens create',
      'tokens list',
      'tokens revoke',
    ]);
  });

  it('prints usage and examples that use the command itself, for every command', () => {
    const program = buildProgram(() => undefined);
    for (const path of paths) {
      const spelt = ['crmsync', ...path].join(' ');
      const command = path.reduce(
        (parent, name) => parent.commands.find((sub) => sub.name() === name)!,
        program,
      );
      let help = '';
      command.configureOutput({
        writeOut: (text) => {
          help += text;
        },
      });
      command.outputHelp();
      expectExamples(spelt, help);
    }
  });

  it('prints the same help from the real command with exit code 0, at the top and two levels down', async () => {
    // Help must not need a configuration: it is what a user reads before writing one.
    const env = { CRMSYNC_CONFIG: scratch.path };
    for (const path of [['import'], ['users', 'create']]) {
      const spelt = ['crmsync', ...path].join(' ');
      const { code, stdout, stderr } = await runCli([...path, '--help'], env);
      expect(code, `${spelt} --help: ${stderr}`).to.equal(0);
      expectExamples(spelt, stdout);
    }
  });
});

function expectExamples(spelt: string, help: string): void {
  expect(help, spelt).to.match(new RegExp(`^Usage: ${spelt} `));
  const examples = help.split('\nExamples:\n')[1];
  expect(examples, `${spelt} --help has an Examples section`).to.be.a('string');
  const lines = examples!.split('\n').filter((line) => line.startsWith('  $ '));
  expect(lines.length, `${spelt} --help shows at least one example`).to.be.greaterThan(0);
  expect(
    lines.some((line) => line.includes(`${spelt} `) || line.endsWith(spelt)),
    `an example of ${spelt} uses it:\n${examples}`,
  ).to.equal(true);
}
