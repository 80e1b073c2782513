import type { ContainerModule } from 'inversify';
import type { OutboundRequests } from '../ports/outbound-requests.js';
import type { Disposable } from './disposable.js';
import type { Logger } from './logger.js';

/**
 * What a plugin's code receives. It is bound in the plugin's child container under the
 * `PluginContext` token and passed to `activate`. `TConfig` is the shape the plugin's
 * configuration schema guarantees (`PluginContext<VcardFileConfig>`).
 */
export interface PluginContext<TConfig = Record<string, unknown>> {
  readonly pluginId: string;
  /** The folder that holds the plugin's `plugin.json`. */
  readonly pluginDir: string;
  /** A writable folder of the plugin's own under the host's data directory. */
  readonly dataDir: string;
  /**
   * The plugin's configuration file (`config/plugins/<id>.json`), validated, `${env:…}`
   * resolved and every schema default applied by the kernel — also inside optional objects
   * the file leaves out. A plugin reads it as it is and does not apply defaults again.
   */
  readonly config: Readonly<TConfig>;
  /** Folder the configuration came from, so relative paths in it can be resolved. */
  readonly configDir: string;
  readonly logger: Logger;
  /** Where the plugin reports each request it sends to a service outside crmsync, for the host's metrics. */
  readonly outbound: OutboundRequests;
  /** Disposed in reverse order when the plugin is deactivated. */
  readonly subscriptions: Disposable[];
}
export const PluginContext = Symbol.for('crmsync.PluginContext');

/**
 * The module a manifest's `main` names. `bindings` binds every contribution the manifest
 * declares, each under its contribution token and named by the contribution id
 * (`bind(GroupwareConnector).toDynamicValue(...).whenNamed('vcard-file')`).
 */
export interface PluginModule {
  bindings?: ContainerModule;
  default?: ContainerModule;
  activate?(context: PluginContext): void | Promise<void>;
  deactivate?(): void | Promise<void>;
}
