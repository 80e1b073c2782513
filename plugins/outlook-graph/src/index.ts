import { ContainerModule } from 'inversify';
import { GroupwareConnector } from '../../../core/index.js';
import { OutlookGraphConnector } from './outlook-graph-connector.js';

export const bindings = new ContainerModule(({ bind }) => {
  bind(GroupwareConnector).toConstantValue(new OutlookGraphConnector()).whenNamed('outlook-graph');
});
