import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type RunningHost, startHost } from '../../host/boot.js';
import { repoRoot } from '../support/paths.js';

describe('The host at start-up', () => {
  let dir: string;
  let host: RunningHost;
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
    writeFileSync(join(dir, 'plugins', 'crm-rest.json'), JSON.stringify(profile, null, 2));
    host = await startHost({ configDir: dir, logger: false, env: { CRM_API_KEY: 'startup-secret-4711' } });
  });
  after(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a CRM profile whose mapping path matches nothing before anything asks for the CRM', async () => {
    expect(host.startupProblems).to.have.length(2);
    expect(host.startupProblems[1]).to.match(/^connector "crm-rest" cannot be used: .*firstNme/);
    const health = (await (await fetch(`${host.url}/health`)).json()) as {
      ready: boolean;
      plugins: { id: string; state: string; error?: string }[];
    };
    expect(health.ready).to.equal(false);
    const crm = health.plugins.find((p) => p.id === 'crm-rest');
    expect(crm?.state).to.equal('failed');
    const plugin = (await (await fetch(`${host.url}/api/v1/plugins/crm-rest`)).json()) as {
      error: { location: { file?: string; pointer?: string } };
    };
    expect(plugin.error.location.file).to.equal(join(dir, 'plugins', 'crm-rest.json'));
    expect(plugin.error.location.pointer).to.equal('/contact/fields/givenName');
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
