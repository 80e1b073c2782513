import { Container } from 'inversify';
import { GroupwareConnector, PluginContext, silentLogger } from '../../../core/index.js';
import { describeGroupwareAccountsConformance } from '../../../test/support/groupware-accounts-conformance.js';
import { bindings } from '../src/index.js';
import { contact } from './support/contacts.js';
import { TempFolder } from './support/temp-folder.js';

describeGroupwareAccountsConformance('The vCard folder plugin', async () => {
  const temp = new TempFolder();
  const container = new Container();
  const context: PluginContext = {
    pluginId: 'vcard-file',
    pluginDir: '.',
    dataDir: temp.join('data'),
    // As the kernel hands it over, defaults applied: a second folder beside the default one.
    config: {
      folder: 'vcards',
      folders: [temp.join('zweiter-ordner')],
      version: '3.0',
      outlookFolder: 'outlook-export',
      maxCardBytes: 8 * 1024 * 1024,
      maxPhotoBytes: 5 * 1024 * 1024,
    },
    configDir: temp.join('config'),
    logger: silentLogger,
    subscriptions: [],
    outbound: { ended() {} },
  };
  container.bind(PluginContext).toConstantValue(context);
  await container.loadAsync(bindings);
  let serial = 0;
  return {
    connector: container.get<GroupwareConnector>(GroupwareConnector, { name: 'vcard-file' }),
    newContact: (surname) =>
      contact({
        givenName: 'Konstanze',
        surname,
        ids: { crmId: `AP-KA-${Date.now().toString(36)}-${++serial}` },
      }),
    close: async () => temp.dispose(),
  };
});
