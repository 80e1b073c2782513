import { ContainerModule } from 'inversify';
import { GroupwareConnector, PluginContext } from '../../../core/index.js';
import { OutlookGraphConnector } from './outlook-graph-connector.js';

export const bindings = new ContainerModule(({ bind }) => {
  bind(GroupwareConnector)
    .toDynamicValue((ctx) => {
      const { mailbox } = ctx.get<PluginContext>(PluginContext).config as { mailbox?: string };
      return new OutlookGraphConnector({ mailbox });
    })
    .inSingletonScope()
    .whenNamed('outlook-graph');
});
