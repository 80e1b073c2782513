import 'reflect-metadata';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Container } from 'inversify';
import { CrmsyncError } from '../domain/errors.js';
import { describeLocation } from '../domain/problem.js';
import { loadConfigFile } from './config/config-file.js';
import { redact } from './config/redact.js';
import {
  activationEventFor,
  type ContributionPoint,
  type ContributionTypes,
  contributionPoints,
} from './contribution-points.js';
import { ContributionRegistry } from './contribution-registry.js';
import { orderByDependencies } from './dependency-order.js';
import { Logger, silentLogger } from './logger.js';
import { loadManifest } from './manifest.js';
import { ManifestError } from './manifest-error.js';
import { OutboundRequestHub } from './outbound-request-hub.js';
import { PluginContext, type PluginModule } from './plugin-api.js';
import { discoverManifests } from './plugin-discovery.js';
import type {
  ContributionState,
  ContributionSummary,
  PluginEntry,
  PluginFailure,
  PluginInfo,
  PluginState,
} from './plugin-record.js';
import { withTimeLimit } from './time-limit.js';
import { kernelVersion as packageVersion } from './version.js';

export interface KernelOptions {
  /** Searched in order; the first plugin with an id wins, later ones with the same id fail. */
  pluginDirectories: string[];
  /** Plugin configuration is read from `<configDir>/plugins/<id>.json`. */
  configDir: string;
  dataDir: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  kernelVersion?: string;
  /** How long a plugin may take to load and activate before it is marked failed (30 s). */
  activationTimeoutMs?: number;
  /** How long a plugin's deactivate may take at shutdown before the next one goes on (5 s). */
  deactivationTimeoutMs?: number;
}

/** The built-in plugins, next to the compiled kernel: dist/plugins. */
export const builtinPluginDirectory = join(dirname(new URL(import.meta.url).pathname), '..', '..', 'plugins');

function failureOf(error: unknown, fallbackCode: string, file?: string): PluginFailure {
  if (error instanceof CrmsyncError) {
    const failure: PluginFailure = { code: error.code, message: error.reason, location: error.location };
    if (error instanceof ManifestError) failure.violations = error.violations;
    return failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: fallbackCode, message, location: file ? { file } : {} };
}

/**
 * The microkernel: finds plugins, checks their manifests, registers what they contribute
 * from the manifest alone, and loads a plugin's code only when one of its activation events
 * fires. A plugin that fails is recorded with its error; the kernel goes on without it.
 */
export class Kernel {
  readonly container = new Container();
  readonly registry = new ContributionRegistry();
  /** The requests plugins report sending out (to Graph, to a CRM), for whoever listens: the host's metrics. */
  readonly outbound = new OutboundRequestHub();
  readonly version: string;
  private readonly entries: PluginEntry[] = [];
  private readonly byId = new Map<string, PluginEntry>();
  private readonly activations = new Map<string, Promise<void>>();
  private readonly activationOrder: PluginEntry[] = [];
  private readonly logger: Logger;
  private started = false;

  constructor(private readonly options: KernelOptions) {
    this.version = options.kernelVersion ?? packageVersion;
    this.logger = options.logger ?? silentLogger;
    this.container.bind(Logger).toConstantValue(this.logger);
    this.container.bind(Kernel).toConstantValue(this);
  }

  /** Discover, validate, order and register every plugin, then fire `onStartup`. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const discovery = discoverManifests(this.options.pluginDirectories);
    for (const problem of discovery.problems) this.logger.warn(problem);
    for (const file of discovery.manifests) this.admit(file);

    const valid = this.entries.filter((entry) => entry.info.state === 'registered');
    const failed = new Map(
      this.entries.filter((e) => e.info.state === 'failed').map((e) => [e.info.id, e.info.error!.message]),
    );
    const { problems } = orderByDependencies(
      new Map(valid.map((entry) => [entry.info.id, entry.located!.manifest.dependsOn])),
      failed,
    );
    for (const [id, problem] of problems) {
      const entry = this.byId.get(id)!;
      this.fail(entry, {
        code: problem.code,
        message: problem.message,
        location: { file: entry.located?.file, pointer: '/dependsOn' },
      });
    }
    this.logger.info(
      { plugins: this.entries.map((e) => `${e.info.id}:${e.info.state}`) },
      `${this.entries.length} plugin(s) found`,
    );
    await this.fire('onStartup');
  }

  /** Reads one manifest and registers the plugin, or records why it cannot be used. */
  private admit(file: string): void {
    const entry: PluginEntry = {
      info: {
        id: guessId(file),
        dir: dirname(file),
        state: 'registered',
        activationEvents: [],
        contributions: [],
      },
      registrations: [],
    };
    this.entries.push(entry);
    try {
      const located = loadManifest(file, this.version);
      const { manifest } = located;
      entry.located = located;
      Object.assign(entry.info, {
        id: manifest.id,
        version: manifest.version,
        displayName: manifest.displayName,
        activationEvents: manifest.activationEvents,
        contributions: summarise(manifest.contributes as Record<string, unknown>),
      });
      const clash = this.byId.get(manifest.id);
      if (clash) {
        throw new CrmsyncError(
          'CRMSYNC_ERR_DUPLICATE_PLUGIN',
          `plugin id "${manifest.id}" is already used by the plugin in ${clash.info.dir}`,
          { file, pointer: '/id' },
        );
      }
      this.byId.set(manifest.id, entry);
      entry.config = this.loadPluginConfig(entry);
      entry.info.contributions.forEach((contribution, index) => {
        const descriptor = manifest.contributes[contribution.point]!.find((d) => d.id === contribution.id)!;
        entry.registrations.push(
          this.registry.register(
            { point: contribution.point, pluginId: manifest.id, descriptor },
            file,
            `/contributes/${contribution.point}/${index}`,
          ),
        );
      });
    } catch (error) {
      this.fail(entry, failureOf(error, 'CRMSYNC_ERR_MANIFEST_INVALID', file));
      if (!this.byId.has(entry.info.id)) this.byId.set(entry.info.id, entry);
    }
  }

  private loadPluginConfig(entry: PluginEntry): Record<string, unknown> {
    const manifest = entry.located!.manifest;
    const file = join(this.options.configDir, 'plugins', `${manifest.id}.json`);
    const schema = manifest.contributes.configuration ?? { type: 'object' };
    return loadConfigFile<Record<string, unknown>>(file, schema, { optional: true, env: this.options.env })
      .value;
  }

  private fail(entry: PluginEntry, failure: PluginFailure): void {
    entry.info.state = 'failed';
    entry.info.error = failure;
    for (const registration of entry.registrations.splice(0).reverse()) void registration.dispose();
    const where = describeLocation(failure.location);
    this.logger.error(
      { plugin: entry.info.id, code: failure.code, location: failure.location },
      `plugin ${entry.info.id} failed: ${failure.message}${where ? ` (${where})` : ''}`,
    );
  }

  /** Activates every plugin that listens to `event` (and those with `*`). */
  async fire(event: string): Promise<void> {
    for (const entry of this.entries) {
      if (entry.info.state !== 'registered' && entry.info.state !== 'activating') continue;
      const events = entry.info.activationEvents;
      if (events.includes(event) || events.includes('*')) {
        await this.activate(entry).catch(() => undefined);
      }
    }
  }

  /**
   * The implementation of a contribution, loading its plugin first if needed. Errors name
   * the plugin, or the contribution, and why it cannot serve.
   */
  async get<P extends ContributionPoint>(point: P, id: string): Promise<ContributionTypes[P]> {
    const registered = this.registry.find(point, id);
    if (!registered) {
      const failedOwner = this.entries.find(
        (entry) =>
          entry.info.state === 'failed' &&
          entry.info.contributions.some((c) => c.point === point && c.id === id),
      );
      if (failedOwner) throw this.failedError(failedOwner);
      throw new CrmsyncError('CRMSYNC_ERR_CONTRIBUTION_UNKNOWN', `no plugin contributes ${point} "${id}"`);
    }
    const entry = this.byId.get(registered.pluginId)!;
    const contribution = entry.info.contributions.find((c) => c.point === point && c.id === id)!;
    if (contribution.state === 'failed') throw this.contributionFailedError(entry, contribution);
    await this.fire(activationEventFor(point, id));
    await this.activate(entry);
    // Re-read: a concurrent request may have found it unbuildable meanwhile.
    if ((contribution.state as ContributionState) === 'failed') {
      throw this.contributionFailedError(entry, contribution);
    }
    try {
      const value = entry.container!.get<ContributionTypes[P]>(contributionPoints[point].token, { name: id });
      contribution.state = 'ready';
      return value;
    } catch (error) {
      // A contribution that cannot be built (a bad folder setting, say) retires only itself:
      // the plugin's other contributions, such as the offline vCard downloads beside a broken
      // folder connector, keep serving. Recorded before anything is awaited, so concurrent
      // requests record it once.
      if ((contribution.state as ContributionState) !== 'failed')
        this.failContribution(entry, contribution, error);
      throw this.contributionFailedError(entry, contribution, error);
    }
  }

  private failContribution(entry: PluginEntry, contribution: ContributionSummary, error: unknown): void {
    const { file, manifest } = entry.located!;
    const index = manifest.contributes[contribution.point]!.findIndex((d) => d.id === contribution.id);
    const where = { file, pointer: `/contributes/${contribution.point}/${index}` };
    const failure = failureOf(error, 'CRMSYNC_ERR_CONTRIBUTION_CREATE', file);
    // A configuration error knows its own file and pointer; anything else is placed at the
    // contribution's declaration in the manifest.
    if (!(error instanceof CrmsyncError && error.location.file)) failure.location = where;
    contribution.state = 'failed';
    contribution.error = failure;
    this.logger.error(
      { plugin: entry.info.id, point: contribution.point, id: contribution.id, code: failure.code },
      `${contribution.point} "${contribution.id}" of plugin ${entry.info.id} cannot be built: ${failure.message} (${describeLocation(failure.location)})`,
    );
  }

  private contributionFailedError(
    entry: PluginEntry,
    contribution: ContributionSummary,
    cause?: unknown,
  ): CrmsyncError {
    const failure = contribution.error!;
    return new CrmsyncError(
      'CRMSYNC_ERR_CONTRIBUTION_FAILED',
      `${contribution.point} "${contribution.id}" of plugin "${entry.info.id}" cannot be built: ${failure.message}`,
      failure.location,
      { cause },
    );
  }

  /**
   * Every contribution of a point, in registration order, each with its id. Contributions of
   * failed plugins and contributions that cannot be built are left out (and logged), so one
   * broken rule does not stop the others. Only the plugins that contribute to the point load.
   */
  async getAll<P extends ContributionPoint>(
    point: P,
  ): Promise<{ id: string; value: ContributionTypes[P] }[]> {
    const all: { id: string; value: ContributionTypes[P] }[] = [];
    for (const { descriptor } of this.registry.list(point)) {
      try {
        all.push({ id: descriptor.id, value: await this.get(point, descriptor.id) });
      } catch (error) {
        this.logger.warn(
          { point, id: descriptor.id },
          `${point} "${descriptor.id}" skipped: ${(error as Error).message}`,
        );
      }
    }
    return all;
  }

  private failedError(entry: PluginEntry): CrmsyncError {
    const error = entry.info.error!;
    return new CrmsyncError(
      'CRMSYNC_ERR_PLUGIN_FAILED',
      `plugin "${entry.info.id}" failed: ${error.message}`,
      {
        file: error.location.file ?? join(entry.info.dir, 'plugin.json'),
        pointer: error.location.pointer,
      },
    );
  }

  private activate(entry: PluginEntry): Promise<void> {
    if (entry.info.state === 'failed') return Promise.reject(this.failedError(entry));
    if (entry.info.state === 'active') return Promise.resolve();
    let pending = this.activations.get(entry.info.id);
    if (!pending) {
      pending = this.load(entry);
      this.activations.set(entry.info.id, pending);
    }
    return pending;
  }

  private async load(entry: PluginEntry): Promise<void> {
    const { manifest, file } = entry.located!;
    entry.info.state = 'activating';
    try {
      for (const dependency of manifest.dependsOn) await this.activate(this.byId.get(dependency)!);
    } catch (error) {
      this.fail(entry, {
        code: 'CRMSYNC_ERR_DEPENDENCY_FAILED',
        message: `a plugin it depends on could not be activated: ${(error as Error).message}`,
        location: { file, pointer: '/dependsOn' },
      });
      throw this.failedError(entry);
    }

    const limit = this.options.activationTimeoutMs ?? 30_000;
    try {
      await withTimeLimit(
        this.bringUp(entry),
        limit,
        () =>
          new CrmsyncError(
            'CRMSYNC_ERR_PLUGIN_ACTIVATE_TIMEOUT',
            `did not finish loading and activating within ${limit} ms`,
            { file, pointer: '/main' },
          ),
      );
    } catch (error) {
      // Re-read: the state may have changed while this function awaited.
      if ((entry.info.state as PluginState) !== 'failed') {
        this.fail(entry, failureOf(error, 'CRMSYNC_ERR_PLUGIN_ACTIVATE', file));
        await this.teardown(entry);
      }
      throw this.failedError(entry);
    }
    entry.info.state = 'active';
    this.activationOrder.push(entry);
    this.logger.info({ plugin: manifest.id }, `plugin ${manifest.id} activated`);
  }

  /** Imports the plugin's code, binds what it contributes and runs its activate. */
  private async bringUp(entry: PluginEntry): Promise<void> {
    const { manifest, mainPath, file } = entry.located!;
    let module: PluginModule;
    try {
      module = (await import(pathToFileURL(mainPath).href)) as PluginModule;
    } catch (error) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_PLUGIN_LOAD',
        `its code could not be loaded from ${mainPath}: ${(error as Error).message}`,
        { file, pointer: '/main' },
      );
    }
    if (entry.info.state === 'failed') return; // gave up waiting meanwhile

    const container = new Container({ parent: this.container });
    const dataDir = join(this.options.dataDir, 'plugins', manifest.id);
    const context: PluginContext = {
      pluginId: manifest.id,
      pluginDir: entry.info.dir,
      dataDir,
      config: entry.config ?? {},
      configDir: this.options.configDir,
      logger: this.logger.child({ plugin: manifest.id }),
      outbound: this.outbound.reporterFor(manifest.id),
      subscriptions: [],
    };
    container.bind(PluginContext).toConstantValue(context);
    Object.assign(entry, { module, container, context });

    mkdirSync(dataDir, { recursive: true });
    const bindings = module.bindings ?? module.default;
    if (bindings) await container.loadAsync(bindings);
    for (const contribution of entry.info.contributions) {
      const token = contributionPoints[contribution.point].token;
      if (!container.isCurrentBound(token, { name: contribution.id })) {
        throw new CrmsyncError(
          'CRMSYNC_ERR_CONTRIBUTION_UNBOUND',
          `declares ${contribution.point} "${contribution.id}" but its code does not bind it`,
          { file, pointer: `/contributes/${contribution.point}` },
        );
      }
    }
    await module.activate?.(context);
  }

  private async teardown(entry: PluginEntry): Promise<void> {
    for (const subscription of (entry.context?.subscriptions ?? []).splice(0).reverse()) {
      try {
        await subscription.dispose();
      } catch (error) {
        this.logger.warn({ plugin: entry.info.id, err: error }, 'a plugin subscription failed to dispose');
      }
    }
    await entry.container?.unbindAllAsync().catch(() => undefined);
  }

  /**
   * Calls the plugin's deactivate and releases what it registered. A deactivate that throws
   * or hangs is logged with the plugin's id, and shutdown goes on with the next plugin.
   */
  private async retire(entry: PluginEntry): Promise<void> {
    const limit = this.options.deactivationTimeoutMs ?? 5_000;
    try {
      await withTimeLimit(
        Promise.resolve().then(() => entry.module?.deactivate?.()),
        limit,
        () => new Error(`deactivate did not finish within ${limit} ms`),
      );
    } catch (error) {
      this.logger.warn(
        { plugin: entry.info.id, err: error },
        `plugin ${entry.info.id} failed to deactivate cleanly: ${(error as Error).message}`,
      );
    }
    await this.teardown(entry);
  }

  /** Deactivates plugins in the reverse order of their activation. */
  async dispose(): Promise<void> {
    for (const entry of this.activationOrder.splice(0).reverse()) {
      await this.retire(entry);
      entry.info.state = 'inactive';
      this.logger.info({ plugin: entry.info.id }, `plugin ${entry.info.id} deactivated`);
    }
  }

  plugins(): PluginInfo[] {
    return this.entries.map((entry) => structuredClone(entry.info));
  }

  /** A plugin's configuration as it may be shown: secrets redacted. */
  pluginConfig(id: string): unknown {
    const entry = this.byId.get(id);
    if (!entry?.config) return undefined;
    return redact(entry.config, entry.located?.manifest.contributes.configuration as never);
  }
}

function summarise(contributes: Record<string, unknown>): ContributionSummary[] {
  const summary: ContributionSummary[] = [];
  for (const point of Object.keys(contributionPoints) as ContributionPoint[]) {
    const list = contributes[point] as { id: string; displayName: string }[] | undefined;
    for (const item of list ?? [])
      summary.push({ point, id: item.id, displayName: item.displayName, state: 'declared' });
  }
  return summary;
}

/** The id to show for a plugin whose manifest could not be read: its `id` if legible, else its folder. */
function guessId(file: string): string {
  try {
    const id = JSON.parse(readFileSync(file, 'utf8')).id;
    if (typeof id === 'string' && id) return id;
  } catch {
    // unreadable manifest: the folder name is all there is
  }
  return basename(dirname(file));
}
