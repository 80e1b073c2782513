import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { CrmConnector, PluginContext } from '../../../core/index.js';
import { CrmRestConnector } from './crm-rest-connector.js';

export { CrmRestConnector, type CrmRestOptions } from './crm-rest-connector.js';
export { type CrmRestExtension, extensionKey, extensionOf } from './mapping/raw-record.js';
export { loadProfileFile, profileSchema, validateProfile } from './profile/load-profile.js';
export type { Profile } from './profile/profile.js';

/** The file the kernel read the configuration from, so that profile errors can name it. */
function profileFileOf(context: PluginContext): string {
  const candidates = [
    join(context.configDir, `${context.pluginId}.json`),
    join(context.configDir, 'plugins', `${context.pluginId}.json`),
  ];
  return candidates.find((file) => existsSync(file)) ?? candidates[1]!;
}

export const bindings = new ContainerModule(({ bind }) => {
  bind(CrmConnector)
    .toDynamicValue((ctx) => {
      const context = ctx.get<PluginContext>(PluginContext);
      return new CrmRestConnector({
        profile: context.config,
        profileFile: profileFileOf(context),
        outbound: context.outbound,
      });
    })
    .inSingletonScope()
    .whenNamed('crm-rest');
});
