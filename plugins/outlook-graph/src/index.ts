import { ContainerModule } from 'inversify';
import { GroupwareConnector, PluginContext } from '../../../core/index.js';
import { OutlookGraphConnector } from './outlook-graph-connector.js';
import { outlookOptions } from './plugin-options.js';
import { UnconfiguredOutlookConnector } from './unconfigured-connector.js';

export { OutlookGraphConnector, type OutlookGraphOptions } from './outlook-graph-connector.js';

export const bindings = new ContainerModule(({ bind }) => {
  bind(GroupwareConnector)
    .toDynamicValue((ctx) => {
      const context = ctx.get<PluginContext>(PluginContext);
      const options = outlookOptions(context);
      if ('notConfigured' in options) return new UnconfiguredOutlookConnector(options.notConfigured);
      const connector = new OutlookGraphConnector(options);
      // Its kept-alive connections end with the plugin.
      context.subscriptions.push({ dispose: () => connector.close() });
      return connector;
    })
    .inSingletonScope()
    .whenNamed('outlook-graph');
});
