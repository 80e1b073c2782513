import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import {
  builtinPluginDirectory,
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

/** Reads the configuration, boots the kernel and starts serving. */
export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  const env = options.env ?? process.env;
  const configDir = options.configDir ?? (env.CRMSYNC_CONFIG || defaultConfigDir);
  const loaded = loadHostConfig(configDir, env);
  const { config } = loaded;
  if (env.PORT !== undefined && env.PORT !== '') config.host.port = Number(env.PORT);
  if (env.HOST) config.host.address = env.HOST;
  mkdirSync(config.dataDir, { recursive: true });

  // The reference CRM must be up before the kernel, so the CRM connector finds it at once.
  const embedded = config.embedded.referenceCrm;
  const referenceCrm = embedded.enabled
    ? await startCrmServer({
        port: embedded.port,
        dbFile: resolve(config.dataDir, embedded.dbFile),
        apiKey: env.CRM_API_KEY,
      })
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
  app.log.info({ configFile: loaded.file, config: redactHostConfig(config) }, 'configuration loaded');
  await kernel.start();
  const startupProblems = await checkConfiguredConnectors(kernel, config.connectors);
  for (const problem of startupProblems) app.log.error(problem);

  const address = await app.listen({ port: config.host.port, host: config.host.address });
  let closing: Promise<void> | undefined;
  return {
    app,
    kernel,
    loaded,
    url: address,
    referenceCrm,
    startupProblems,
    close() {
      closing ??= (async () => {
        await app.close();
        await kernel.dispose();
        await referenceCrm?.close();
      })();
      return closing;
    },
  };
}
