import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import {
  builtinPluginDirectory,
  CrmsyncError,
  type HostConfig,
  Kernel,
  type LoadedHostConfig,
  loadHostConfig,
  redactHostConfig,
} from '../core/index.js';
import { type CrmServer, startCrmServer } from '../emulators/crm/index.js';
import { checkConfiguredConnectors } from './connector-check.js';
import { buildApp } from './server/app.js';

/** config/ of the checkout, next to dist/: the embedded defaults. */
export const defaultConfigDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'config');

export interface HostOptions {
  /** Defaults to $CRMSYNC_CONFIG, else the checkout's config/ folder. */
  configDir?: string;
  env?: NodeJS.ProcessEnv;
  logger?: boolean | Record<string, unknown>;
}

export interface RunningHost {
  app: FastifyInstance;
  kernel: Kernel;
  loaded: LoadedHostConfig;
  url: string;
  /** The reference CRM started inside the host, when the configuration asks for it. */
  referenceCrm?: CrmServer;
  /** Configured connectors that could not be built at start-up, each with its reason. */
  startupProblems: string[];
  /** Stops accepting, lets requests in flight finish, then deactivates the plugins. */
  close(): Promise<void>;
}

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

/** A listen error a person can act on: which address, and which setting changes it. */
async function listenOn<T>(
  what: string,
  address: string,
  setting: string,
  listen: () => Promise<T>,
): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE' ? 'the address is in use by another program' : (error as Error).message;
    throw new CrmsyncError(
      'CRMSYNC_ERR_LISTEN',
      `${what} cannot listen on ${address}: ${reason}; change ${setting}`,
      {},
      { cause: error },
    );
  }
}

/** Reads the configuration, boots the kernel and starts serving. */
export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  const env = options.env ?? process.env;
  const configDir = options.configDir ?? (env.CRMSYNC_CONFIG || defaultConfigDir);
  const loaded = loadHostConfig(configDir, env);
  const { config } = loaded;
  applyAddressOverrides(config, env);
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
    ? await listenOn('the reference CRM', `127.0.0.1:${embedded.port}`, 'embedded.referenceCrm.port', () =>
        startCrmServer({
          port: embedded.port,
          dbFile: resolve(config.dataDir, embedded.dbFile),
          apiKey: env.CRM_API_KEY,
        }),
      )
    : undefined;

  const app = await buildApp({ kernel: undefined as never, config, logger: options.logger });
  const kernel = new Kernel({
    pluginDirectories: [builtinPluginDirectory, ...config.pluginDirectories],
    configDir,
    dataDir: config.dataDir,
    logger: app.log,
    env,
  });
  app.kernel = kernel;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      await kernel.dispose();
      await referenceCrm?.close();
    })();
    return closing;
  };

  try {
    app.log.info({ configFile: loaded.file, config: redactHostConfig(config) }, 'configuration loaded');
    await kernel.start();
    startupProblems.push(...(await checkConfiguredConnectors(kernel, config.connectors)));
    for (const problem of startupProblems) app.log.error(problem);
    const url = await listenOn(
      'crmsync',
      `${config.host.address}:${config.host.port}`,
      'PORT or host.port',
      () => app.listen({ port: config.host.port, host: config.host.address }),
    );
    return { app, kernel, loaded, url, referenceCrm, startupProblems, close };
  } catch (error) {
    // Whatever started must stop again: plugins deactivate, the reference CRM closes.
    await close().catch(() => undefined);
    throw error;
  }
}
