import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { repoRoot } from '../support/paths.js';
import { scratchFolder } from './support/cli-world.js';
import { startCli } from './support/long-running.js';

describe('crmsync serve', function () {
  this.timeout(120_000);
  const scratch = scratchFolder();
  after(() => scratch.cleanUp());

  it('on the embedded defaults prints its URL, answers /health, and exits with 0 on SIGTERM', async () => {
    // The shipped configuration, except for free ports so the test needs none of its own.
    const configDir = join(scratch.path, 'config');
    mkdirSync(join(configDir, 'plugins'), { recursive: true });
    writeFileSync(
      join(configDir, 'crmsync.json'),
      JSON.stringify({
        host: { address: '127.0.0.1', port: 0 },
        dataDir: '../data',
        embedded: { referenceCrm: { enabled: true, port: 0 } },
      }),
    );
    copyFileSync(
      join(repoRoot, 'config', 'plugins', 'crm-rest.json'),
      join(configDir, 'plugins', 'crm-rest.json'),
    );

    const host = await startCli(
      ['serve'],
      { CRMSYNC_CONFIG: configDir, PORT: '', HOST: '' },
      /crmsync is listening on (http:\/\/\S+)\n/,
    );
    const url = host.match[1]!;
    let stopped = false;
    try {
      expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(host.output()).to.contain(`health:  ${url}/health`);
      expect(host.output()).to.match(/reference CRM: http:\/\/127\.0\.0\.1:\d+/);

      const health = await fetch(`${url}/health`);
      expect(health.status).to.equal(200);
      const answer = (await health.json()) as { ready: boolean; plugins: { id: string }[] };
      expect(answer.ready, JSON.stringify(answer)).to.equal(true);
      expect(answer.plugins.map((plugin) => plugin.id)).to.include.members(['crm-rest', 'vcard-file']);

      stopped = true;
      expect(await host.stop('SIGTERM'), host.output()).to.equal(0);
    } finally {
      if (!stopped) await host.stop('SIGKILL');
    }
    const refused = await fetch(`${url}/health`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused, 'the port is closed once crmsync has stopped').to.equal('refused');
    expect(
      existsSync(join(scratch.path, 'data', 'crmsync.db')),
      'its state store is in the data folder',
    ).to.equal(true);
  });
});
