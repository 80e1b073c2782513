import { inject, injectable } from 'inversify';
import { CrmsyncError } from '../domain/errors.js';
import { describeLocation } from '../domain/problem.js';
import { Kernel } from '../kernel/kernel.js';
import type { PluginInfo } from '../kernel/plugin-record.js';

/** A contribution that could not be built: its plugin stays active, but this part of it does not serve. */
export interface FailedContributionHealth {
  point: string;
  id: string;
  code: string;
  error: string;
  where: string;
}

export interface PluginHealth {
  id: string;
  state: PluginInfo['state'];
  error?: string;
  where?: string;
  /** Present only when some of the plugin's contributions failed. */
  failedContributions?: FailedContributionHealth[];
}

export interface HealthSummary {
  status: 'ok';
  /** False while any plugin, or any contribution of an active plugin, has failed. */
  ready: boolean;
  version: string;
  plugins: PluginHealth[];
}

export interface ContributionListing {
  point: string;
  pluginId: string;
  id: string;
  [descriptor: string]: unknown;
}

/** The installed plugins, what they contribute, and whether crmsync is ready. */
export interface PluginService {
  health(): HealthSummary;
  list(): PluginInfo[];
  /** One plugin with its configuration, secrets redacted; an unknown id throws `CRMSYNC_ERR_PLUGIN_UNKNOWN`. */
  get(id: string): PluginInfo & { configuration: unknown };
  contributions(): ContributionListing[];
}
export const PluginService = Symbol.for('crmsync.PluginService');

@injectable()
export class PluginServiceImpl implements PluginService {
  constructor(@inject(Kernel) private readonly kernel: Kernel) {}

  health(): HealthSummary {
    const plugins = this.kernel.plugins().map(pluginHealth);
    const ready = plugins.every((plugin) => plugin.state !== 'failed' && !plugin.failedContributions);
    return { status: 'ok', ready, version: this.kernel.version, plugins };
  }

  list(): PluginInfo[] {
    return this.kernel.plugins();
  }

  get(id: string): PluginInfo & { configuration: unknown } {
    const plugin = this.kernel.plugins().find((p) => p.id === id);
    if (!plugin) throw new CrmsyncError('CRMSYNC_ERR_PLUGIN_UNKNOWN', `no plugin "${id}" is installed`);
    return { ...plugin, configuration: this.kernel.pluginConfig(plugin.id) };
  }

  contributions(): ContributionListing[] {
    return this.kernel.registry
      .list()
      .map(({ point, pluginId, descriptor }) => ({ point, pluginId, ...descriptor }));
  }
}

function pluginHealth({ id, state, error, contributions }: PluginInfo): PluginHealth {
  const health: PluginHealth = { id, state };
  if (error) Object.assign(health, { error: error.message, where: describeLocation(error.location) });
  // A failed plugin's own error already says why none of its contributions serves.
  if (state === 'failed') return health;
  const failed = contributions.flatMap(({ point, id: contributionId, state: built, error: why }) =>
    built === 'failed' && why
      ? [
          {
            point,
            id: contributionId,
            code: why.code,
            error: why.message,
            where: describeLocation(why.location),
          },
        ]
      : [],
  );
  if (failed.length) health.failedContributions = failed;
  return health;
}
