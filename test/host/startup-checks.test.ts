import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { HealthSummary, PluginInfo } from '../../core/index.js';
import { type RunningHost, startHost } from '../../host/boot.js';
import { startHostProcess } from '../support/host-process.js';
import { repoRoot } from '../support/paths.js';

describe('The host at start-up', () => {
  let dir: string;
  let host: RunningHost;
  let profileFile: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crmsync-startup-'));
    mkdirSync(join(dir, 'plugins'));
    writeFileSync(
      join(dir, 'crmsync.json'),
      JSON.stringify({
        host: { port: 0 },
        dataDir: 'data',
        pluginDirectories: ['../no-such-plugins'],
        embedded: { referenceCrm: { enabled: false } },
      }),
    );
    // The shipped profile with one typo in a mapping path.
    const profile = JSON.parse(readFileSync(join(repoRoot, 'config', 'plugins', 'crm-rest.json'), 'utf8'));
    delete profile.$schema;
    profile.contact.fields.givenName = '/firstNme';
    profileFile = join(dir, 'plugins', 'crm-rest.json');
    writeFileSync(profileFile, JSON.stringify(profile, null, 2));
    host = await startHost({ configDir: dir, logger: false, env: { CRM_API_KEY: 'startup-secret-4711' } });
  });
  after(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a CRM profile whose mapping path matches nothing before anything asks for the CRM', async () => {
    expect(host.startupProblems).to.have.length(2);
    expect(host.startupProblems[1]).to.match(/^connector "crm-rest" cannot be used: .*firstNme/);
    const plugin = (await (await fetch(`${host.url}/api/v1/plugins/crm-rest`)).json()) as PluginInfo;
    // The plugin itself loaded; only its connector cannot be built.
    expect(plugin.state).to.equal('active');
    const [connector] = plugin.contributions;
    expect(connector).to.include({ point: 'crmConnectors', id: 'crm-rest', state: 'failed' });
    expect(connector?.error?.location.file).to.equal(profileFile);
    expect(connector?.error?.location.pointer).to.equal('/contact/fields/givenName');
  });

  it('is not ready while the CRM connector cannot be built, and /health names it with file and pointer', async () => {
    const answer = await fetch(`${host.url}/health`);
    expect(answer.status).to.equal(200);
    const health = (await answer.json()) as HealthSummary;
    expect(health.ready).to.equal(false);
    const crm = health.plugins.find((p) => p.id === 'crm-rest');
    expect(crm?.state).to.equal('active');
    expect(crm?.failedContributions).to.have.length(1);
    const [failed] = crm!.failedContributions!;
    expect(failed).to.include({
      point: 'crmConnectors',
      id: 'crm-rest',
      code: 'CRMSYNC_ERR_PROFILE_INVALID',
    });
    expect(failed?.error).to.contain('firstNme');
    expect(failed?.where).to.equal(`${profileFile}, at /contact/fields/givenName`);
    expect((await fetch(`${host.url}/health/ready`)).status).to.equal(503);
  });

  it('prints the connector that cannot be used when started as npm start does', async () => {
    const started = await startHostProcess({
      CRMSYNC_CONFIG: dir,
      PORT: '0',
      CRM_API_KEY: 'startup-secret-4711',
    });
    try {
      expect(started.output()).to.match(/^ {2}! connector "crm-rest" cannot be used: .*firstNme/m);
      expect(started.output()).not.to.contain('startup-secret-4711');
    } finally {
      expect(await started.stop('SIGTERM'), started.output()).to.equal(0);
    }
  });

  it("never shows the CRM key from the environment in a plugin's configuration", async () => {
    const text = await (await fetch(`${host.url}/api/v1/plugins/crm-rest`)).text();
    expect(text).to.contain('"auth"');
    expect(text).not.to.contain('startup-secret-4711');
  });

  it('keeps the vCard folder usable beside the broken CRM connector', async () => {
    const connectors = (await (await fetch(`${host.url}/api/v1/connectors`)).json()) as {
      groupware: { id: string; health: { ok: boolean } };
    };
    expect(connectors.groupware.id).to.equal('vcard-file');
    expect(connectors.groupware.health.ok).to.equal(true);
  });
});
