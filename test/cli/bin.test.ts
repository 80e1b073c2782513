import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { repoRoot } from '../support/paths.js';
import type { CliResult } from './support/cli-world.js';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

/** Runs a program from the checkout as a shell would, without a network: npm may install nothing. */
function run(file: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) =>
    execFile(
      file,
      args,
      {
        cwd: repoRoot,
        timeout: 60_000,
        env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
      },
      (error, stdout, stderr) =>
        resolve({
          // A program that could not be started, or was stopped at the timeout, has no exit code.
          code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          stdout,
          stderr: error && typeof error.code !== 'number' ? `${error.message}\n${stderr}` : stderr,
        }),
    ),
  );
}

describe('The crmsync command as the package installs it', function () {
  this.timeout(60_000);

  it('prints the package version with npx --no-install crmsync --version from the checkout', async () => {
    const result = await run('npx', ['--no-install', 'crmsync', '--version']);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout.trim()).to.equal(manifest.version);
  });

  it('runs the bin file itself, as node_modules/.bin links it, by its own #! line', async () => {
    const bin = join(repoRoot, manifest.bin.crmsync!);
    const version = await run(bin, ['--version']);
    expect(version.code, version.stdout + version.stderr).to.equal(0);
    expect(version.stdout.trim()).to.equal(manifest.version);
    const help = await run(bin, ['--help']);
    expect(help.code, help.stderr).to.equal(0);
    expect(help.stdout).to.match(/^Usage: crmsync /);
  });
});
