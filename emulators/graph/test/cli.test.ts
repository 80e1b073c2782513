import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { OutlookGraphConnector } from '../../../plugins/outlook-graph/src/outlook-graph-connector.js';
import { repoRoot } from '../../../test/support/paths.js';

describe('npm run graph', () => {
  let child: ChildProcess | undefined;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crmsync-graph-cli-'));
  });
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves Graph over HTTPS and prints what a client needs to sign in: URL, authority, client id and secret', async () => {
    const caFile = join(dir, 'graph-ca.pem');
    child = spawn(process.execPath, [join(repoRoot, 'dist', 'emulators', 'graph', 'cli.js')], {
      env: { ...process.env, GRAPH_PORT: '0', GRAPH_CA_FILE: caFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    for await (const chunk of child.stdout!) {
      output += chunk;
      if (output.includes('mailboxes:') && output.includes('certificate:')) break;
    }
    const value = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(output)?.[1];
    const url = /listening at (\S+)/.exec(output)?.[1];
    expect(url, output).to.match(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
    const tenant = /\(tenant (\S+)\)/.exec(output)?.[1];
    const connector = new OutlookGraphConnector({
      tenantId: tenant!,
      clientId: value('client id')!,
      clientSecret: value('client secret')!,
      mailbox: value('mailboxes')!.replace(/,$/, ''),
      graphBaseUrl: url!,
      authorityHost: value('authority')!,
      ca: readFileSync(caFile, 'utf8'),
    });
    try {
      const health = await connector.health();
      expect(health.ok, health.detail).to.equal(true);
    } finally {
      connector.close();
    }
  });
});
