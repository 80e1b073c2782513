import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Kernel, selectGroupwareConnector } from '../../../core/index.js';
import type { GraphServer } from '../../../emulators/graph/index.js';
import { repoRoot } from '../../../test/support/paths.js';
import { anna, ben, emulator } from './support/outlook-session.js';

const secretVariable = 'CRMSYNC_TEST_GRAPH_CLIENT_SECRET';

describe('Choosing Outlook as the groupware, with the vCard folder as fallback', () => {
  let server: GraphServer;
  let dir: string;
  let kernel: Kernel | undefined;
  before(async () => {
    server = await emulator();
  });
  after(async () => server?.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crmsync-outlook-'));
    mkdirSync(join(dir, 'config', 'plugins'), { recursive: true });
    writeFileSync(join(dir, 'config', 'emulator-ca.pem'), server.ca);
    process.env[secretVariable] = server.app.clientSecret;
  });
  afterEach(async () => {
    await kernel?.dispose();
    kernel = undefined;
    delete process.env[secretVariable];
    rmSync(dir, { recursive: true, force: true });
  });

  const select = async (config?: Record<string, unknown>) => {
    if (config) writeFileSync(join(dir, 'config', 'plugins', 'outlook-graph.json'), JSON.stringify(config));
    kernel = new Kernel({
      pluginDirectories: [join(repoRoot, 'dist', 'plugins')],
      configDir: join(dir, 'config'),
      dataDir: join(dir, 'data'),
    });
    await kernel.start();
    return selectGroupwareConnector(kernel, { groupware: 'outlook-graph', fallback: 'vcard-file' });
  };
  const emulatorConfig = () => ({
    tenantId: server.app.tenantId,
    clientId: server.app.clientId,
    clientSecret: `\${env:${secretVariable}}`,
    mailbox: anna,
    graphBaseUrl: server.url,
    authorityHost: server.authorityHost,
    caFile: 'emulator-ca.pem',
  });

  it('falls back to the vCard folder while Outlook is not configured, and names what is missing', async () => {
    const selected = await select();
    expect(selected.id).to.equal('vcard-file');
    expect(selected.fallbackReason).to.match(
      /not configured: tenantId, clientId, mailbox, clientSecret missing/,
    );
  });

  it('uses Outlook when it is configured against a running Graph and reachable', async () => {
    const selected = await select(emulatorConfig());
    expect(selected.id).to.equal('outlook-graph');
  });

  it('falls back when Graph cannot be reached', async () => {
    const selected = await select({
      ...emulatorConfig(),
      graphBaseUrl: 'https://127.0.0.1:9/v1.0',
      authorityHost: 'https://127.0.0.1:9',
    });
    expect(selected.id).to.equal('vcard-file');
    expect(selected.fallbackReason).to.match(/not reachable/);
  });

  it('refuses a client secret written into the file instead of taken from the environment', async () => {
    const selected = await select({ ...emulatorConfig(), clientSecret: server.app.clientSecret });
    expect(selected.id).to.equal('vcard-file');
    expect(selected.fallbackReason).to.match(/\$\{env:NAME\}/);
    expect(selected.fallbackReason).to.not.include(server.app.clientSecret);
  });

  it('serves each mailbox configured as an account of its own, the first the default', async () => {
    const selected = await select({ ...emulatorConfig(), mailboxes: [ben.toUpperCase()] });
    expect(selected.id).to.equal('outlook-graph');
    const accounts = selected.connector.accounts();
    expect(accounts.map((account) => account.accountKey)).to.deep.equal([`${anna}/CRM`, `${ben}/CRM`]);
    expect(accounts[0]).to.equal(selected.connector);
    expect((await accounts[1]!.health()).ok).to.equal(true);
  });

  it('refuses a mailbox configured twice, in whatever spelling, naming where', async () => {
    const selected = await select({ ...emulatorConfig(), mailboxes: [ben, anna.toUpperCase()] });
    expect(selected.id).to.equal('vcard-file');
    expect(selected.fallbackReason).to.match(/configured twice.*\/mailboxes\/1/);
  });
});
