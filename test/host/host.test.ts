import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { emptyContact, type PluginInfo } from '../../core/index.js';
import { type RunningHost, startHost } from '../../host/boot.js';
import { startHostProcess } from '../support/host-process.js';
import { fixture } from '../support/paths.js';

const apiKey = 'test-key-4f1c9a';

describe('The host with extra plugin directories', () => {
  let dataDir: string;
  let host: RunningHost;
  let logs: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crmsync-host-'));
    logs = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logs += chunk.toString();
        done();
      },
    });
    host = await startHost({
      configDir: fixture('host-config'),
      env: { CRMSYNC_TEST_API_KEY: apiKey, CRMSYNC_TEST_DATA_DIR: dataDir },
      logger: { level: 'debug', stream },
    });
  });
  after(async () => {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = (path: string, headers: Record<string, string> = { 'x-api-key': apiKey }) =>
    fetch(`${host.url}${path}`, { headers });

  it('discovers and activates a plugin dropped into an extra directory, with no change to core code', async () => {
    const plugins = (await (await api('/api/v1/plugins')).json()) as PluginInfo[];
    const rule = plugins.find((p) => p.id === 'email-domain-rule');
    expect(rule).to.include({ state: 'active', version: '1.2.0' });
    const declared = {
      point: 'dedupeRules',
      id: 'same-surname-same-domain',
      displayName: 'Gleicher Nachname, gleiche E-Mail-Domain',
    };
    // Known from the manifest alone until something first asks for it.
    expect(rule?.contributions).to.deep.equal([{ ...declared, state: 'declared' }]);

    const implementation = await host.kernel.get('dedupeRules', 'same-surname-same-domain');
    const after = (await (await api('/api/v1/plugins/email-domain-rule')).json()) as PluginInfo;
    expect(after.contributions).to.deep.equal([{ ...declared, state: 'ready' }]);
    const anna = {
      ...emptyContact(),
      surname: 'Weiß',
      emails: [{ address: 'anna.weiss@bau-ag.de', type: 'work' as const }],
    };
    const other = {
      ...emptyContact(),
      surname: 'weiß',
      emails: [{ address: 'a.weiss@BAU-AG.de', type: 'work' as const }],
    };
    expect(implementation.evaluate(anna, other)).to.deep.include({
      verdict: 'possible',
      evidence: { surname: 'Weiß', domain: 'bau-ag.de' },
    });
  });

  it('lists the three built-in plugins beside the extra ones', async () => {
    const plugins = (await (await api('/api/v1/plugins')).json()) as PluginInfo[];
    expect(plugins.map((p) => p.id)).to.include.members(['crm-rest', 'outlook-graph', 'vcard-file']);
  });

  it('keeps serving when a plugin throws in activate, and shows which plugin failed and why', async () => {
    const health = await api('/health', {});
    expect(health.status).to.equal(200);
    const body = (await health.json()) as {
      status: string;
      ready: boolean;
      plugins: { id: string; state: string; error?: string; where?: string }[];
    };
    expect(body.status).to.equal('ok');
    expect(body.ready).to.equal(false);
    expect(body.plugins.find((p) => p.id === 'licence-check')).to.deep.equal({
      id: 'licence-check',
      state: 'failed',
      error: 'licence server unreachable',
      where: fixture('failing-plugins', 'licence-check', 'plugin.json'),
    });
    expect((await api('/health/ready', {})).status).to.equal(503);
  });

  it("answers a request for a failed plugin's contribution with an error naming the plugin", async () => {
    const error = (await host.kernel
      .get('partnerResolvers', 'licensed-resolver')
      .catch((e: Error) => e)) as Error;
    expect(error.message).to.equal(
      `plugin "licence-check" failed: licence server unreachable (${fixture('failing-plugins', 'licence-check', 'plugin.json')})`,
    );
  });

  it('refuses API requests without the configured key (401) or with a wrong one (403)', async () => {
    expect((await api('/api/v1/plugins', {})).status).to.equal(401);
    expect((await api('/api/v1/plugins', { 'x-api-key': 'guess' })).status).to.equal(403);
    // Fastify routes %-escaped paths to the same handler; the key is needed there too.
    expect((await api('/%61pi/v1/config', {})).status).to.equal(401);
    expect((await api('/api/v1/%63onfig', {})).status).to.equal(401);
  });

  it('shows the configuration with its secrets redacted, and never logs them', async () => {
    const config = await (await api('/api/v1/config')).text();
    expect(config).not.to.contain(apiKey);
    expect(config).to.contain('[redacted]');
    await api('/api/v1/plugins', { 'x-api-key': apiKey, authorization: `Bearer ${apiKey}` });
    expect(logs).to.contain('configuration loaded');
    expect(logs).not.to.contain(apiKey);
  });

  it("shows a plugin's configuration with its schema defaults applied", async () => {
    const plugin = (await (await api('/api/v1/plugins/email-domain-rule')).json()) as {
      configuration: unknown;
    };
    expect(plugin.configuration).to.deep.equal({ ignoredDomains: ['gmail.com', 'web.de', 'gmx.de'] });
    expect((await api('/api/v1/plugins/nope')).status).to.equal(404);
  });

  it('publishes the manifest and configuration schemas for editors', async () => {
    const manifest = (await (await api('/api/v1/schemas/plugin-manifest')).json()) as { title: string };
    expect(manifest.title).to.contain('plugin manifest');
    const hostSchema = (await (await api('/api/v1/schemas/host-config.schema.json')).json()) as {
      title: string;
    };
    expect(hostSchema.title).to.contain('host configuration');
  });
});

describe('The host process', () => {
  /** The host on the fixture configuration, with a marker its extra plugin leaves on deactivation. */
  async function startFixtureHost() {
    const dataDir = mkdtempSync(join(tmpdir(), 'crmsync-proc-'));
    const host = await startHostProcess({
      CRMSYNC_CONFIG: fixture('host-config'),
      CRMSYNC_TEST_API_KEY: apiKey,
      CRMSYNC_TEST_DATA_DIR: dataDir,
      PORT: '0',
    });
    const wasDeactivated = () => existsSync(join(dataDir, 'plugins', 'email-domain-rule', 'deactivated'));
    return { host, wasDeactivated, cleanUp: () => rmSync(dataDir, { recursive: true, force: true }) };
  }

  it('serves /health and the built-in plugins when started as npm start does, and stops cleanly on SIGTERM', async () => {
    const { host, wasDeactivated, cleanUp } = await startFixtureHost();
    try {
      expect(host.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${host.url}/health`)).status).to.equal(200);
      const plugins = (await (
        await fetch(`${host.url}/api/v1/plugins`, { headers: { 'x-api-key': apiKey } })
      ).json()) as PluginInfo[];
      expect(plugins.map((p) => p.id)).to.include.members(['crm-rest', 'outlook-graph', 'vcard-file']);
    } finally {
      expect(await host.stop('SIGTERM'), host.output()).to.equal(0);
    }
    expect(wasDeactivated(), 'plugin was deactivated').to.equal(true);
    cleanUp();
  });

  it('stops cleanly on SIGINT too', async () => {
    const { host, wasDeactivated, cleanUp } = await startFixtureHost();
    expect(await host.stop('SIGINT')).to.equal(0);
    expect(wasDeactivated()).to.equal(true);
    cleanUp();
  });

  it('starts on the embedded defaults with the reference CRM, every built-in plugin usable', async () => {
    const host = await startHostProcess({ PORT: '0', CRMSYNC_CONFIG: '' });
    try {
      expect(host.output()).to.match(/reference CRM: http:\/\/127\.0\.0\.1:4010\/api\/v1/);
      const health = (await (await fetch(`${host.url}/health`)).json()) as {
        ready: boolean;
        plugins: { id: string }[];
      };
      expect(health.plugins.map((p) => p.id)).to.deep.equal([
        'crm-rest',
        'dedupe-rules',
        'outlook-graph',
        'vcard-file',
      ]);
      expect(health.ready, JSON.stringify(health)).to.equal(true);
      const connectors = (await (await fetch(`${host.url}/api/v1/connectors`)).json()) as {
        crm: { health: { ok: boolean } };
        groupware: { id: string; health: { ok: boolean } };
      };
      expect(connectors.crm.health.ok, JSON.stringify(connectors)).to.equal(true);
      expect(connectors.groupware).to.deep.include({ id: 'vcard-file' });
      expect(connectors.groupware.health.ok).to.equal(true);
    } finally {
      expect(await host.stop('SIGTERM'), host.output()).to.equal(0);
    }
  });

  it('finishes a request in flight after SIGTERM before it stops', async () => {
    const { host, wasDeactivated, cleanUp } = await startFixtureHost();
    const { port } = new URL(host.url);
    const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Späth;Jörg;;;\r\nEND:VCARD\r\n';
    let exited: Promise<number | null> | undefined;
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/imports/preview?fileName=langsam.vcf',
          headers: {
            'x-api-key': apiKey,
            'content-type': 'text/vcard',
            'content-length': Buffer.byteLength(card),
          },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
      // Half the upload now, the signal, then the rest: the request is in flight throughout.
      request.write(card.slice(0, 20));
      setTimeout(() => {
        exited = host.stop('SIGTERM');
        setTimeout(() => request.end(card.slice(20)), 300);
      }, 100);
    });
    const { status, body } = await response;
    expect(status).to.equal(200);
    expect(body).to.contain('Späth');
    expect(await exited, host.output()).to.equal(0);
    expect(wasDeactivated()).to.equal(true);
    cleanUp();
  });

  it('refuses a PORT that is not a port number, naming the variable', async () => {
    const error = (await startHostProcess({
      CRMSYNC_CONFIG: fixture('host-config'),
      CRMSYNC_TEST_API_KEY: apiKey,
      CRMSYNC_TEST_DATA_DIR: tmpdir(),
      PORT: 'abc',
    }).catch((e: Error) => e)) as Error;
    expect(error.message).to.contain(
      'the PORT environment variable must be a whole number from 0 to 65535, not "abc"',
    );
  });

  it('says which address is taken when its port is in use, and deactivates what it started', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'crmsync-busy-'));
    try {
      const error = (await startHostProcess({
        CRMSYNC_CONFIG: fixture('host-config'),
        CRMSYNC_TEST_API_KEY: apiKey,
        CRMSYNC_TEST_DATA_DIR: dataDir,
        PORT: String(port),
      }).catch((e: Error) => e)) as Error;
      expect(error.message).to.contain(
        `crmsync cannot listen on 127.0.0.1:${port}: the address is in use by another program; change PORT or host.port`,
      );
      expect(existsSync(join(dataDir, 'plugins', 'email-domain-rule', 'deactivated'))).to.equal(true);
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start on an invalid configuration and says which file and setting are wrong', async () => {
    const error = await startHostProcess({
      CRMSYNC_CONFIG: fixture('host-config'),
      CRMSYNC_TEST_API_KEY: apiKey,
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.match(/exited with 1/);
    expect(error?.message).to.contain(
      'crmsync could not start: CRMSYNC_ERR_CONFIG_ENV_MISSING: environment variable CRMSYNC_TEST_DATA_DIR is not set',
    );
    expect(error?.message).to.contain('crmsync.json, at /dataDir');
  });
});
