import { ContainerModule } from 'inversify';
import { GroupwareConnector, PluginContext } from '../../../core/index.js';
import { connectionFor, OutlookGraphConnector } from './outlook-graph-connector.js';
import { outlookOptions } from './plugin-options.js';
import { UnconfiguredOutlookConnector } from './unconfigured-connector.js';

export { OutlookGraphConnector, type OutlookGraphOptions } from './outlook-graph-connector.js';

export const bindings = new ContainerModule(({ bind }) => {
  bind(GroupwareConnector)
    .toDynamicValue((ctx) => {
      const context = ctx.get<PluginContext>(PluginContext);
      const options = outlookOptions(context);
      if ('notConfigured' in options) return new UnconfiguredOutlookConnector(options.notConfigured);
      // One sign-in and one pool of kept-alive connections for every mailbox; they end with the plugin.
      const connection = connectionFor(options.shared);
      context.subscriptions.push({ dispose: () => connection.close() });
      // Each mailbox is an account; the contribution is the first, the default.
      const accounts: OutlookGraphConnector[] = [];
      for (const mailbox of options.mailboxes)
        accounts.push(
          new OutlookGraphConnector({ ...options.shared, mailbox, connection, accounts: () => accounts }),
        );
      return accounts[0]!;
    })
    .inSingletonScope()
    .whenNamed('outlook-graph');
});
