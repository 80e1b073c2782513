import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger as PinoLogger } from 'pino';
import {
  builtinPluginDirectory,
  CrmsyncError,
  type HostConfig,
  Kernel,
  type LoadedHostConfig,
  loadHostConfig,
  openStateStore,
  pipelineModule,
  redactHostConfig,
  resolveServices,
  type Services,
  StateStore,
  servicesModule,
  stateStoreConfigOf,
} from '../core/index.js';
import type { CrmServer } from '../emulators/crm/index.js';
import { listenOn } from './listen.js';
import { createLogger, type LoggerOptions } from './logger.js';

export interface RuntimeOptions {
  /** Defaults to $CRMSYNC_CONFIG, else the checkout's config/ folder (given by the caller). */
  configDir: string;
  env?: NodeJS.ProcessEnv;
  /** false for silence (tests); else the level and the stream to log to. */
  logger?: LoggerOptions | false;
  /**
   * A state store opened by the caller, used instead of the configured one and left open on
   * dispose (tests pass one that fails on purpose).
   */
  stateStore?: StateStore;
}

/** Everything crmsync runs on, built in one place: the host, the CLI and tests all start here. */
export interface Runtime {
  config: HostConfig;
  loaded: LoadedHostConfig;
  logger: PinoLogger;
  kernel: Kernel;
  services: Services;
  /** Links, plans, cursors and the journal: what crmsync remembers between runs. */
  stateStore: StateStore;
  /** The reference CRM started inside crmsync, when `embedded.referenceCrm.enabled`. */
  referenceCrm?: CrmServer;
  /** Configured connectors and plugin folders that cannot be used, each with its reason. */
  startupProblems: string[];
  /** Deactivates the plugins in reverse order, closes the state store and stops the reference CRM; safe to call twice. */
  dispose(): Promise<void>;
}

/** The variable the shipped CRM profile reads the embedded reference CRM's address from. */
export const referenceCrmUrlVariable = 'CRMSYNC_REFERENCE_CRM_URL';

/** `PORT` and `HOST` from the environment win over the configuration file. */
function applyAddressOverrides(config: HostConfig, env: NodeJS.ProcessEnv): void {
  if (env.PORT !== undefined && env.PORT !== '') {
    const port = Number(env.PORT);
    if (!/^\d+$/.test(env.PORT) || port > 65535) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_CONFIG_INVALID',
        `the PORT environment variable must be a whole number from 0 to 65535, not "${env.PORT}"`,
        { field: 'PORT' },
      );
    }
    config.host.port = port;
  }
  if (env.HOST) config.host.address = env.HOST;
}

/**
 * Reads the configuration, creates the logger, starts the embedded reference CRM (its address
 * goes to the kernel's environment as `CRMSYNC_REFERENCE_CRM_URL`, so one setting moves it),
 * boots the kernel with the application services and builds the configured connectors.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const env = options.env ?? process.env;
  const loaded = loadHostConfig(options.configDir, env);
  const { config } = loaded;
  applyAddressOverrides(config, env);
  const logger = createLogger(options.logger ?? {}, config.host.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  const startupProblems = config.pluginDirectories
    .map((directory, index) => ({ directory, index }))
    .filter(({ directory }) => !existsSync(directory))
    .map(
      ({ directory, index }) =>
        `plugin directory ${directory} does not exist (${loaded.file}, at /pluginDirectories/${index})`,
    );

  // The reference CRM must be up before the kernel, so the CRM connector finds it at once.
  const embedded = config.embedded.referenceCrm;
  const referenceCrm = embedded.enabled
    ? await listenOn(
        'the reference CRM',
        `127.0.0.1:${embedded.port}`,
        'embedded.referenceCrm.port',
        async () =>
          // Loaded only when asked for: its demo-data generator alone holds some 40 MiB that a
          // host working with a real CRM should not carry.
          (await import('../emulators/crm/index.js')).startCrmServer({
            port: embedded.port,
            dbFile: resolve(config.dataDir, embedded.dbFile),
            apiKey: env.CRM_API_KEY,
            dataFile: env.CRM_DATA || undefined,
          }),
      )
    : undefined;
  if (env.CRM_DATA && referenceCrm?.startedFrom === 'database') {
    startupProblems.push(
      `CRM_DATA (${env.CRM_DATA}) is not loaded: the reference CRM's database ${resolve(config.dataDir, embedded.dbFile)} holds data already; delete it to start from the file`,
    );
  }
  let stateStore: StateStore;
  try {
    stateStore = options.stateStore ?? (await openStateStore(stateStoreConfigOf(config)));
  } catch (error) {
    await referenceCrm?.close().catch(() => undefined);
    throw error;
  }
  const kernelEnv = referenceCrm ? { ...env, [referenceCrmUrlVariable]: referenceCrm.origin } : env;

  const kernel = new Kernel({
    pluginDirectories: [builtinPluginDirectory, ...config.pluginDirectories],
    configDir: options.configDir,
    dataDir: config.dataDir,
    logger,
    env: kernelEnv,
  });
  kernel.container.bind(StateStore).toConstantValue(stateStore);
  kernel.container.load(
    servicesModule({ connectors: config.connectors, sessions: config.host.sessions }),
    pipelineModule(),
  );
  const services = resolveServices(kernel.container);

  let disposing: Promise<void> | undefined;
  const dispose = () => {
    disposing ??= (async () => {
      await kernel.dispose();
      if (!options.stateStore) await stateStore.close();
      await referenceCrm?.close();
    })();
    return disposing;
  };
  try {
    logger.info({ configFile: loaded.file, config: redactHostConfig(config) }, 'configuration loaded');
    await kernel.start();
    startupProblems.push(...(await services.connectors.checkConfigured()));
    for (const problem of startupProblems) logger.error(problem);
  } catch (error) {
    await dispose().catch(() => undefined);
    throw error;
  }
  return { config, loaded, logger, kernel, services, stateStore, referenceCrm, startupProblems, dispose };
}
