import { ContainerModule } from 'inversify';
import { GroupwareConnector, PluginContext } from '../../../core/index.js';
import { OutlookGraphConnector } from './outlook-graph-connector.js';
import { outlookOptions } from './plugin-options.js';
import { UnconfiguredOutlookConnector } from './unconfigured-connector.js';

export { OutlookGraphConnector, type OutlookGraphOptions } from './outlook-graph-connector.js';

export const bindings = new ContainerModule(({ bind }) => {
  bind(GroupwareConnector)
    .toDynamicValue((ctx) => {
      const options = outlookOptions(ctx.get<PluginContext>(PluginContext));
      return 'notConfigured' in options
        ? new UnconfiguredOutlookConnector(options.notConfigured)
        : new OutlookGraphConnector(options);
    })
    .inSingletonScope()
    .whenNamed('outlook-graph');
});
