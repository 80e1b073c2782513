import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container } from 'inversify';
import { GroupwareConnector, PluginContext, silentLogger } from '../../../core/index.js';
import { describeGroupwareAccountsConformance } from '../../../test/support/groupware-accounts-conformance.js';
import { bindings } from '../src/index.js';
import { anna, ben, crmContact, emulator } from './support/outlook-session.js';

describeGroupwareAccountsConformance('The Outlook plugin (emulated Graph)', async () => {
  const server = await emulator();
  const configDir = mkdtempSync(join(tmpdir(), 'crmsync-outlook-accounts-'));
  mkdirSync(join(configDir, 'plugins'));
  writeFileSync(join(configDir, 'emulator-ca.pem'), server.ca);
  const container = new Container();
  const context: PluginContext = {
    pluginId: 'outlook-graph',
    pluginDir: '.',
    dataDir: join(configDir, 'data'),
    // As the kernel hands it over, defaults applied and the secret resolved: two mailboxes.
    config: {
      tenantId: server.app.tenantId,
      clientId: server.app.clientId,
      clientSecret: server.app.clientSecret,
      mailbox: anna,
      mailboxes: [ben],
      contactFolder: 'CRM',
      graphBaseUrl: server.url,
      authorityHost: server.authorityHost,
      caFile: 'emulator-ca.pem',
    },
    configDir,
    logger: silentLogger,
    subscriptions: [],
    outbound: { ended() {} },
  };
  container.bind(PluginContext).toConstantValue(context);
  await container.loadAsync(bindings);
  return {
    connector: container.get<GroupwareConnector>(GroupwareConnector, { name: 'outlook-graph' }),
    newContact: (surname) => crmContact(surname),
    close: async () => {
      for (const subscription of context.subscriptions) await subscription.dispose();
      await server.close();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
});
